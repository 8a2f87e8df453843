import * as Comlink from 'comlink';

import { createEngine } from './engine/engine';
import { installErrorTransfer } from './protocol/errors';

// The engine worker: wires the engine object to comlink and nothing else.
installErrorTransfer();
Comlink.expose(createEngine());
