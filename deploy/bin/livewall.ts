/** `cdk synth` / `cdk deploy` entry (cdk.json's "app"). */
import { buildApp } from '../lib/app';

buildApp().app.synth();
