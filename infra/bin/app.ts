/** The CDK app (`npx cdk synth`): environment-agnostic, synthesizes offline. */
import { App } from 'aws-cdk-lib';
import { KehouStack } from '../lib/stack';

const app = new App();
new KehouStack(app, 'Kehou');
app.synth();
