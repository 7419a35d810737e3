export { residenceCheck } from './check';
export { permitExpiryWatch } from './expiryWatch';
export { residenceSweep } from './sweep';
