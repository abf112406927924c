export { MyAccessCheck } from './MyAccessCheck';
