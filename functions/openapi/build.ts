/** Made at build time: the document from the registry, as the bundle-time constant. */
import { openApiDocument } from '@kehou/http';
import { API_INFO, FUNCTIONS } from '../index';
import { DOCUMENT_CONSTANT, packDocument } from './packed';

export const generateDocument = () => openApiDocument(FUNCTIONS, API_INFO);

/** esbuild's `define` for the openapi function: the constant as a JavaScript string literal. */
export const documentDefine = (): Record<string, string> => ({
  [DOCUMENT_CONSTANT]: JSON.stringify(packDocument(generateDocument())),
});
