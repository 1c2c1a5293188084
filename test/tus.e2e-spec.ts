import { tusSuite } from './support/tus-suite.js';

tusSuite('local');
