// The baseline for the API's JSON figures: a minimal NestJS app on platform-express (what the
// framework costs by itself) answering BODY as JSON on every GET. Started by bench/api.mjs as its
// own process, as the app is; PORT and BODY come from the environment.
import 'reflect-metadata';
import { Controller, Get, Header, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

const body = process.env.BODY ?? '{}';

class ConstantController {
  answer() {
    return body;
  }
}
// Decorators applied by hand: this file is plain JavaScript, run without a build.
const answer = Object.getOwnPropertyDescriptor(ConstantController.prototype, 'answer');
Get('*path')(ConstantController.prototype, 'answer', answer);
Header('Content-Type', 'application/json; charset=utf-8')(ConstantController.prototype, 'answer', answer);
Controller()(ConstantController);

class MinimalModule {}
Module({ controllers: [ConstantController] })(MinimalModule);

const app = await NestFactory.create(MinimalModule, { logger: false });
await app.listen(Number(process.env.PORT), '127.0.0.1');
