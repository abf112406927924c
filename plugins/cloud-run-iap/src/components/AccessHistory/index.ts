export { AccessHistoryDialog } from './AccessHistoryDialog';
