export { PassportError } from '@passport/core';
