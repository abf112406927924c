import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  LocalGitRepositories,
  parseRepositoryRef,
} from './LocalGitRepositories';

describe('LocalGitRepositories', () => {
  let root: string;
  let source: string;
  let repos: LocalGitRepositories;
  const author = { name: 'Guest', email: 'guest@example.com' };

  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'local-git-test-'));
    source = path.join(root, 'workspace');
    await mkdir(path.join(source, 'src'), { recursive: true });
    await writeFile(
      path.join(source, 'catalog-info.yaml'),
      'kind: Component\n',
    );
    await writeFile(path.join(source, 'src', 'app.py'), 'print("hi")\n');
    await writeFile(path.join(source, '.gitignore'), '*.log\n');
    await writeFile(path.join(source, 'debug.log'), 'noise\n');
    repos = new LocalGitRepositories(path.join(root, 'data'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  const publish = () =>
    repos.publish({
      owner: 'internal-apps',
      name: 'status-board',
      sourceDir: source,
      message: 'Initial commit',
      author,
    });

  it('creates a bare repository with the files on main, minus what .gitignore excludes', async () => {
    const first = await publish();
    expect(first).toMatchObject({ created: true, changed: true });
    expect(first.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(await repos.describe('internal-apps', 'status-board')).toEqual({
      owner: 'internal-apps',
      name: 'status-board',
      defaultBranch: 'main',
      head: first.commit,
      files: ['.gitignore', 'catalog-info.yaml', 'src/app.py'],
    });
    const file = await repos.readFile(
      'internal-apps',
      'status-board',
      'main',
      'catalog-info.yaml',
    );
    expect(file?.content.toString()).toBe('kind: Component\n');
    expect(file?.etag).toMatch(/^[0-9a-f]{40}$/);
  });

  it('makes no new commit when published again with the same files, and one when they change', async () => {
    const first = await publish();
    const again = await publish();
    expect(again).toEqual({
      commit: first.commit,
      created: false,
      changed: false,
    });
    expect(await repos.commitCount('internal-apps', 'status-board')).toBe(1);

    await writeFile(path.join(source, 'src', 'app.py'), 'print("bye")\n');
    const changed = await publish();
    expect(changed.changed).toBe(true);
    expect(changed.commit).not.toBe(first.commit);
    expect(await repos.commitCount('internal-apps', 'status-board')).toBe(2);
  });

  it('reads nothing outside a repository branch', async () => {
    await publish();
    for (const [ref, file] of [
      ['main', '../HEAD'],
      ['main', 'missing.txt'],
      ['main', 'src'],
      ['nope', 'catalog-info.yaml'],
      ['main..x', 'catalog-info.yaml'],
    ]) {
      expect(
        await repos.readFile('internal-apps', 'status-board', ref, file),
      ).toBeUndefined();
    }
    expect(
      await repos.readFile(
        'internal-apps',
        'other',
        'main',
        'catalog-info.yaml',
      ),
    ).toBeUndefined();
  });

  it('refuses names that could leave the data directory, naming the field', () => {
    expect(parseRepositoryRef('internal-apps/status-board')).toEqual({
      owner: 'internal-apps',
      name: 'status-board',
    });
    for (const bad of ['../x/y', 'a/b/c', 'Team/App', 'a/.git', 'a', '']) {
      expect(() => parseRepositoryRef(bad)).toThrow(
        /^repo must be owner\/name/,
      );
    }
  });
});
