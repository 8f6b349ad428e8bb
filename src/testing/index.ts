export { gradCheck, type GradCheckOptions, type GradCheckResult } from './grad-check.js';
