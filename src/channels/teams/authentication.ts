/**
 * Bot Framework authentication for the Teams channel: botbuilder's
 * ConfigurationBotFrameworkAuthentication with the public-cloud defaults, or, when a private
 * identity provider is given (tests use a fake one on 127.0.0.1), the same class with its
 * endpoint overrides. Also decides which token failures are the caller's fault (401).
 */
import { ConfidentialClientApplication } from '@azure/msal-node';
import { CallerIdConstants, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
// botbuilder's own dependencies (not re-exported): the error its token checks throw and the MSAL credentials factory.
import { AuthenticationConstants, AuthenticationError, MsalServiceClientCredentialsFactory } from 'botframework-connector';
import type { TeamsConfig } from '../../config/config';

/**
 * Where the bot checks inbound tokens and gets outbound ones, for an identity provider other than
 * Microsoft's public cloud. Names follow botbuilder's configuration keys. Never set in production
 * on the public cloud: left out, botbuilder's own defaults (login.botframework.com,
 * login.microsoftonline.com) apply unchanged.
 */
export interface TeamsIdentityEndpoints {
  /** `ToBotFromChannelOpenIdMetadataUrl`: OpenID configuration whose `jwks_uri` lists the channel's signing keys. */
  toBotFromChannelOpenIdMetadataUrl: string;
  /** `ToBotFromChannelTokenIssuer`: the `iss` of channel tokens. Default https://api.botframework.com. */
  toBotFromChannelTokenIssuer?: string;
  /**
   * `ToChannelFromBotLoginUrl`: the MSAL authority (https) for the client-credentials token the bot
   * sends to the connector, tenant included (e.g. `https://idp.example/botframework.com`, or the
   * directory id for SingleTenant).
   */
  toChannelFromBotLoginUrl: string;
  /** `ToChannelFromBotOAuthScope`: audience of outbound tokens. Default https://api.botframework.com. */
  toChannelFromBotOAuthScope?: string;
  /** PEM certificate(s) to trust for the login authority besides the system CAs (a private or test CA). */
  loginCa?: string;
}

type BotFrameworkAuthentication = ConfigurationBotFrameworkAuthentication;

/**
 * The channel's authentication. Without `endpoints`: exactly botbuilder's public-cloud setup.
 * With them: the parameterized botbuilder setup pointed at that identity provider, and an MSAL
 * client that knows the authority (MSAL would otherwise ask login.microsoftonline.com whether a
 * non-Microsoft authority is trusted).
 */
export function createTeamsAuthentication(teams: TeamsConfig | undefined, endpoints?: TeamsIdentityEndpoints): BotFrameworkAuthentication {
  const credentials = {
    MicrosoftAppId: teams?.appId,
    MicrosoftAppPassword: teams?.appPassword,
    MicrosoftAppType: teams?.appType,
    MicrosoftAppTenantId: teams?.tenantId,
  };
  if (!endpoints) return new ConfigurationBotFrameworkAuthentication(credentials);
  if (!teams?.appId) throw new Error('Teams identity endpoints need MicrosoftAppId: without an app id botbuilder checks no tokens');
  const authority = new URL(endpoints.toChannelFromBotLoginUrl);
  if (authority.protocol !== 'https:') throw new Error('toChannelFromBotLoginUrl must be an https URL (MSAL accepts no other authority)');
  const msal = new ConfidentialClientApplication({
    auth: {
      clientId: teams.appId,
      clientSecret: teams.appPassword ?? '',
      authority: endpoints.toChannelFromBotLoginUrl,
      knownAuthorities: [authority.host],
    },
    system: endpoints.loginCa ? { customAgentOptions: { ca: endpoints.loginCa } } : undefined,
  });
  return new ConfigurationBotFrameworkAuthentication(
    {
      ...credentials,
      ToBotFromChannelOpenIdMetadataUrl: endpoints.toBotFromChannelOpenIdMetadataUrl,
      ToBotFromChannelTokenIssuer: endpoints.toBotFromChannelTokenIssuer ?? AuthenticationConstants.ToBotFromChannelTokenIssuer,
      // Emulator-issued tokens are checked against the same keys, so they fail there instead of reaching the public cloud.
      ToBotFromEmulatorOpenIdMetadataUrl: endpoints.toBotFromChannelOpenIdMetadataUrl,
      ToChannelFromBotLoginUrl: endpoints.toChannelFromBotLoginUrl,
      ToChannelFromBotOAuthScope: endpoints.toChannelFromBotOAuthScope ?? AuthenticationConstants.ToChannelFromBotOAuthScope,
      OAuthUrl: AuthenticationConstants.OAuthUrl,
      CallerId: CallerIdConstants.PublicAzureChannel,
      ValidateAuthority: true,
    },
    new MsalServiceClientCredentialsFactory(teams.appId, msal),
  );
}

/** jsonwebtoken's errors, which botbuilder rethrows as they are for a bad signature or a token used too early. */
const TOKEN_ERROR_NAMES = new Set(['JsonWebTokenError', 'NotBeforeError', 'TokenExpiredError']);

/**
 * How a failed token check is answered: 401 when the token is at fault, 503 when the keys could
 * not be fetched (botbuilder marks that 500; the channel retries a 503, and the caller did nothing
 * wrong), undefined for anything else (a bug: let it surface as 500).
 */
export function authenticationFailureStatus(error: unknown): 401 | 503 | undefined {
  if (error instanceof AuthenticationError) return error.statusCode >= 500 ? 503 : 401;
  if (error instanceof Error && TOKEN_ERROR_NAMES.has(error.name)) return 401;
  return undefined;
}
