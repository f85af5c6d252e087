export { ErrorCodes, MAX_DOCUMENT_BYTES, validateDocument, validateParsedDocument } from './validate.ts';
export type { ValidationResult } from './validate.ts';
export type { SegmentDocument, SubsegmentFields } from '../model/segment-document.ts';
