import { videoSuite } from './support/video-suite.js';

videoSuite('local');
