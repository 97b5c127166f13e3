import { z } from 'zod';
import { HttpResult } from '../http';
import { ServiceClient } from '../service';

export const imageSchema = z.looseObject({
  id: z.string(),
  name: z.string().nullish(),
  status: z.string(),
  visibility: z.string(),
  owner: z.string().nullish(),
  /** bytes; null while an image has no data */
  size: z.number().nullish(),
  disk_format: z.string().nullish(),
  created_at: z.string(),
});

export type Image = z.infer<typeof imageSchema>;

const imagePageSchema = z.looseObject({
  images: z.array(imageSchema),
  // Relative: `/v2/images?marker=…`.
  next: z.string().optional(),
});

const MAX_PAGES = 50;

/** `GET /v2/images`, every page (Glance pages at 25 by default). */
export async function listImages(
  image: ServiceClient,
  filters: { owner?: string; visibility?: string; limit?: number } = {},
): Promise<HttpResult<Image[]>> {
  const images: Image[] = [];
  let marker: string | undefined;
  for (let page = 0; ; page++) {
    const result = await image.request({
      path: '/v2/images',
      query: { ...filters, marker },
      schema: imagePageSchema,
    });
    if (!result.ok) return result;
    images.push(...result.data.images);
    const next = result.data.next
      ? new URL(result.data.next, 'http://glance').searchParams.get('marker')
      : null;
    if (!next || next === marker || page + 1 >= MAX_PAGES) {
      return { ...result, data: images };
    }
    marker = next;
  }
}
