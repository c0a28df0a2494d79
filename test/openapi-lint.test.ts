/**
 * The OpenAPI document the local product serves passes Redocly (`recommended`) and Spectral
 * (`spectral:oas`) with no error and no warning, under the rules of openapi-lint.config.ts.
 */
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { Document, Spectral, type RulesetDefinition } from '@stoplight/spectral-core';
// CommonJS whose named exports Node cannot see: take them from the default export
import parsers from '@stoplight/spectral-parsers';
import { oas } from '@stoplight/spectral-rulesets';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { redoclyConfig, spectralRules } from './openapi-lint.config';
import { startTestApp, type TestApp } from './support/app';

let app: TestApp;
let served: string;

beforeAll(async () => {
  app = await startTestApp();
  const res = await fetch(`${app.url}/openapi.json`);
  expect(res.status).toBe(200);
  served = await res.text();
}, 60_000);
afterAll(async () => {
  await app?.close();
});

it('passes Redocly recommended: no error, no warning', async () => {
  const config = await createConfig(redoclyConfig);
  const problems = await lintFromString({ source: served, absoluteRef: `${app.url}/openapi.json`, config });
  const findings = problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer ?? '?'}`);
  expect(findings).toEqual([]);
});

it('passes spectral:oas: no error, no warning, no hint', async () => {
  const spectral = new Spectral();
  // the package's own typing of its ruleset does not match RulesetDefinition
  spectral.setRuleset({ extends: [[oas as RulesetDefinition, 'recommended']], rules: spectralRules });
  const results = await spectral.run(new Document(served, parsers.Json, `${app.url}/openapi.json`));
  const findings = results.map(
    (r) => `${['error', 'warn', 'info', 'hint'][r.severity]} ${r.code}: ${r.message} at ${r.path.join('.')}`,
  );
  expect(findings).toEqual([]);
});
