import { videoSuite } from './support/video-suite.js';

// The same suite with the videos in an S3-compatible bucket (s3rver on loopback).
videoSuite('s3');
