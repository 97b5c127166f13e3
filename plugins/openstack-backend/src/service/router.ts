import express from 'express';
import Router from 'express-promise-router';
import { HealthResponse } from '@fedstack/plugin-openstack-common';
import { OpenStackPluginConfig } from '../config';

export interface RouterOptions {
  config: OpenStackPluginConfig;
}

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const router = Router();
  router.use(express.json({ limit: '1mb' }));

  router.get('/health', (_req, res) => {
    const body: HealthResponse = {
      status: 'ok',
      credentialSets: Object.keys(options.config.credentialSets).sort(),
    };
    res.json(body);
  });

  return router;
}
