import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// Backstage UI components render in several passes; on a loaded 2-core CI machine a first
// render can take seconds, so the findBy*/waitFor queries wait up to 10 s instead of 1 s.
configure({ asyncUtilTimeout: 10_000 });
