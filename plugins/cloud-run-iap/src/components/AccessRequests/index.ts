export { AccessRequestForm } from './AccessRequestForm';
export { EntityAccessRequests } from './EntityAccessRequests';
export { PendingAccessRequests } from './PendingAccessRequests';
export { requestStatusText } from './AccessRequestsTable';
