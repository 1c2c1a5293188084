import { tusSuite } from './support/tus-suite.js';

// Resumable uploads finishing into an S3-compatible bucket (s3rver on loopback).
tusSuite('s3');
