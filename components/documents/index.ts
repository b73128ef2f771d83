export { AttachButton } from './attach-button';
export { DocumentsBar } from './documents-bar';
export { DocumentDropZone } from './drop-zone';
export { type DocumentsState, useDocuments } from './use-documents';
