import { bind, lambdaHandler, openApiDocument } from '@kehou/http';
import { API_INFO, FUNCTIONS } from '../index';
import { routes } from './api';

const document = openApiDocument(FUNCTIONS, API_INFO);

/** No table access: the document is made once per container from the route specs. */
export const handler = lambdaHandler([bind(routes.document, async () => document)], { clock: () => new Date() });
