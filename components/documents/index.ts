export { AttachButton } from './attach-button';
export { DocumentDropZone } from './drop-zone';
export { DocumentsBar } from './documents-bar';
export { useDocuments, type DocumentsState } from './use-documents';
