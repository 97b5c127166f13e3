import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { CatalogFilterBlueprint } from '@backstage/plugin-catalog-react/alpha';

/**
 * The catalog opens on Resources, where the OpenStack sites are, instead of Components (which
 * would hide every site from a first visit). Replaces the catalog plugin's own kind filter.
 */
export const catalogKindFilter = CatalogFilterBlueprint.make({
  name: 'kind',
  params: {
    loader: async () => {
      const { EntityKindPicker } = await import(
        '@backstage/plugin-catalog-react'
      );
      return <EntityKindPicker initialFilter="resource" />;
    },
  },
});

export const catalogModule = createFrontendModule({
  pluginId: 'catalog',
  extensions: [catalogKindFilter],
});
