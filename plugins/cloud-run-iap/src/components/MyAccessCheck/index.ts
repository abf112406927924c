export { MyAccessCheck } from './MyAccessCheck';
export { SelfServiceAccess } from './SelfServiceAccess';
