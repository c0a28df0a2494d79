import fc from 'fast-check';

// Property tests draw from one seed per run so that CI is reproducible: a failure
// prints its seed and counterexample, and the same run fails the same way again.
// `FC_SEED=random npm test` explores new ground; `FC_SEED=<n>` replays a run.
const requested = process.env.FC_SEED;
if (requested !== 'random') {
  fc.configureGlobal({ seed: requested === undefined ? 20_261_123 : Number(requested) });
}
