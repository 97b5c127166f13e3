import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  HealthResponse,
  healthResponseSchema,
} from '@fedstack/plugin-openstack-common';
import { OpenStackApi } from './OpenStackApi';

/** Talks to `/api/openstack` through Backstage's discovery and (authenticated) fetch. */
export class OpenStackClient implements OpenStackApi {
  constructor(
    private readonly options: {
      discoveryApi: DiscoveryApi;
      fetchApi: FetchApi;
    },
  ) {}

  async getHealth(): Promise<HealthResponse> {
    return healthResponseSchema.parse(await this.get('/health'));
  }

  private async get(path: string): Promise<unknown> {
    const baseUrl = await this.options.discoveryApi.getBaseUrl('openstack');
    const response = await this.options.fetchApi.fetch(`${baseUrl}${path}`);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response.json();
  }
}
