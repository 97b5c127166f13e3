import {
  AddressPolicy,
  compareEndpointUrls,
  createSourceCache,
  ExternalSources,
  CredentialConfigError,
  OidcTokenSource,
  OidcTokenSources,
  SourceCache,
  ScanSettingsOverrides,
  SiteUnderTest,
} from '@fedstack/plugin-openstack-node';
import { SiteDescriptor } from '@fedstack/plugin-openstack-common';
import { OpenStackConfigError, OpenStackPluginConfig } from '../config';

/** A site as the checks see it: only what its entity declares (nothing assumed per scan). */
export function siteUnderTest(site: SiteDescriptor): SiteUnderTest {
  return {
    name: site.name,
    keystoneUrl: site.keystoneUrl,
    region: site.region,
    gocdbName: site.gocdbName,
    offersObjectStorage: site.services?.includes('object-store') ?? false,
    optionalServices: site.services,
    declaredPorts: site.ports,
    vos: site.vos,
    accountingName: site.accountingName,
    federationProtocol: site.federationProtocol,
  };
}

/**
 * What every scan of the backend shares, built once from config: the external sources (one
 * cache for the fleet, so GOCDB and the others are read once per fleet scan, not per site), the
 * federated login's token source and the scan settings. Scheduled scans, "Scan now" and the
 * console's `scan` all take their inputs here, so they give the same verdicts.
 */
export class ScanInputs {
  private readonly tokenSource?: OidcTokenSource;
  private readonly tokenSources?: OidcTokenSources;
  /** GOCDB's, the information system's and the portal's answers, shared by every site's scan. */
  private readonly cache: SourceCache;

  constructor(private readonly config: OpenStackPluginConfig) {
    this.cache = createSourceCache({
      ttlMs: config.sources.cacheSeconds * 1000,
    });
    const login = config.sources.federationLogin;
    if (login) {
      // One client per CA file, as the credential sets' token-endpoint accounts get theirs.
      this.tokenSources = new OidcTokenSources({
        timeoutMs: config.scans.requestTimeoutMs,
        addressPolicy: new AddressPolicy(config.network),
        userAgent: 'fedstack-backend',
      });
      try {
        this.tokenSource = this.tokenSources.for(login, {
          clientSecret: login.clientSecret,
          refreshToken: login.refreshToken,
          where: 'openstack.sources.federationLogin',
        });
      } catch (error) {
        this.tokenSources.close();
        if (error instanceof CredentialConfigError)
          throw new OpenStackConfigError([error.message]);
        throw error;
      }
    }
  }

  /** The sources a scan of this site asks; absent ones leave their checks not evaluated. */
  sourcesFor(site: SiteDescriptor): ExternalSources {
    const sources = this.config.sources;
    const login = sources.federationLogin;
    const settings = this.settingsFor(site);
    const listed = login?.sites.find(
      entry => compareEndpointUrls(entry.keystoneUrl, site.keystoneUrl).same,
    );
    return {
      cache: this.cache,
      gocdbUrl: sources.gocdb?.url,
      cloudInfoUrl: sources.cloudInfo?.url,
      accounting: sources.accounting
        ? {
            kind: sources.accounting.kind,
            location:
              sources.accounting.kind === 'accounting-portal'
                ? sources.accounting.url
                : sources.accounting.location,
          }
        : undefined,
      federationLogin:
        login && this.tokenSource && listed
          ? {
              accessToken: recorder => this.tokenSource!.accessToken(recorder),
              authUrl: listed.authUrl,
              project: login.project ?? settings.opsVo ?? 'ops',
            }
          : undefined,
      federationLoginWithheld:
        login && !listed
          ? `The test account's token is sent only to the Keystone URLs listed in openstack.sources.federationLogin.sites, and ${site.keystoneUrl} is not one of them`
          : undefined,
    };
  }

  /** Settings: the global ones, then each of the site's profiles' in the order it names them. */
  settingsFor(site: SiteDescriptor): ScanSettingsOverrides {
    let settings: ScanSettingsOverrides = { ...this.config.scans.settings };
    for (const profile of site.profiles) {
      const own = this.config.profiles[profile]?.settings;
      if (own) settings = { ...settings, ...own };
    }
    return settings;
  }

  close(): void {
    this.tokenSources?.close();
  }
}
