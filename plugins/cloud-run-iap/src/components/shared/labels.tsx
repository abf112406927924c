// Compatibility re-export while the review page moves to the files named for what they hold.
export * from './labelText';
export * from './chips';
export { shortServiceName } from './resourceNames';
