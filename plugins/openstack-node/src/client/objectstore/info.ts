import { z } from 'zod';
import { HttpResult } from '../http';
import { ServiceClient } from '../service';

/** Swift's capabilities (`GET /info` at the proxy's root, no token): its version and features. */

export const swiftInfoSchema = z.looseObject({
  swift: z.looseObject({
    version: z.string(),
    policies: z
      .array(
        z.looseObject({ name: z.string(), default: z.boolean().optional() }),
      )
      .optional(),
    max_file_size: z.number().optional(),
  }),
});

export type SwiftInfo = z.infer<typeof swiftInfoSchema>;

/** `GET /info` */
export function getObjectStoreInfo(
  objectStore: ServiceClient,
): Promise<HttpResult<SwiftInfo>> {
  return objectStore.request({
    path: '/info',
    from: 'root',
    authenticated: false,
    schema: swiftInfoSchema,
  });
}
