import { bind, lambdaHandler, openApiDocument } from '@kehou/http';
import { ALL_ROUTES, API_INFO } from '../index';
import { routes } from './api';

const document = openApiDocument(ALL_ROUTES, API_INFO);

/** No table access: the document is made once per container from the route specs. */
export const handler = lambdaHandler([bind(routes.document, async () => document)], { clock: () => new Date() });
