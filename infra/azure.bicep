// Azure resources for Coaching Circles (teamsapp.yml → arm/deploy):
// one Linux App Service running the API + front end on Node 20, and a PostgreSQL flexible
// server for storage (several instances share it; jobs and live updates rely on it).
// Outputs named in UPPER_CASE are written by the toolkit into env/.env.<env> as-is.

@maxLength(20)
@minLength(4)
@description('Prefix for resource names; a hash of the resource group keeps global names unique.')
param resourceBaseName string

param location string = resourceGroup().location

@description('App Service plan SKU. B1 is enough for a pilot; use P0v3 or above for Always On + scale-out.')
param webAppSku string = 'B1'

@description('Entra app (client) id of the API; turns the API into Microsoft 365 mode.')
param aadAppClientId string

param aadAppTenantId string

@secure()
param aadAppClientSecret string

@description('Comma-separated tenant ids allowed to call the API. Empty: only the app\'s own tenant.')
param allowedTenantIds string = ''

param teamsAppId string

param postgresAdminLogin string = 'circlesadmin'

@secure()
@minLength(12)
param postgresAdminPassword string

@description('PostgreSQL major version.')
param postgresVersion string = '16'

var uniqueName = '${resourceBaseName}-${uniqueString(resourceGroup().id)}'
var databaseName = 'coaching_circles'

resource serverFarm 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: uniqueName
  location: location
  kind: 'linux'
  sku: {
    name: webAppSku
  }
  properties: {
    reserved: true // Linux
  }
}

resource postgres 'Microsoft.DBforPostgreSQL/flexibleServers@2022-12-01' = {
  name: uniqueName
  location: location
  sku: {
    name: 'Standard_B1ms'
    tier: 'Burstable'
  }
  properties: {
    version: postgresVersion
    administratorLogin: postgresAdminLogin
    administratorLoginPassword: postgresAdminPassword
    storage: {
      storageSizeGB: 32
    }
    backup: {
      backupRetentionDays: 7
      geoRedundantBackup: 'Disabled'
    }
    highAvailability: {
      mode: 'Disabled'
    }
  }
}

resource database 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2022-12-01' = {
  parent: postgres
  name: databaseName
  properties: {
    charset: 'UTF8'
    collation: 'en_US.utf8'
  }
}

// 0.0.0.0–0.0.0.0 is Azure's "allow Azure services" rule: the App Service reaches the server
// without a VNet. Tighten with VNet integration + private access for production.
resource allowAzureServices 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2022-12-01' = {
  parent: postgres
  name: 'AllowAllAzureServicesAndResourcesWithinAzureIps'
  properties: {
    startIpAddress: '0.0.0.0'
    endIpAddress: '0.0.0.0'
  }
}

resource webApp 'Microsoft.Web/sites@2023-12-01' = {
  name: uniqueName
  location: location
  kind: 'app,linux'
  properties: {
    serverFarmId: serverFarm.id
    httpsOnly: true
    siteConfig: {
      linuxFxVersion: 'NODE|20-lts'
      // tsx runs the TypeScript composition root; the front end is built into dist/ at deploy.
      appCommandLine: 'npx tsx scripts/start.ts'
      alwaysOn: webAppSku != 'F1' && webAppSku != 'D1'
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
      http20Enabled: true
      healthCheckPath: '/api/health'
      appSettings: [
        // App Service builds on Linux so better-sqlite3's native binary matches the host.
        { name: 'SCM_DO_BUILD_DURING_DEPLOYMENT', value: 'true' }
        { name: 'NODE_ENV', value: 'production' }
        { name: 'AAD_APP_CLIENT_ID', value: aadAppClientId }
        { name: 'AAD_APP_TENANT_ID', value: aadAppTenantId }
        { name: 'AAD_APP_CLIENT_SECRET', value: aadAppClientSecret }
        { name: 'ALLOWED_TENANT_IDS', value: empty(allowedTenantIds) ? aadAppTenantId : allowedTenantIds }
        { name: 'TEAMS_APP_ID', value: teamsAppId }
        // App Service sets PORT itself; the API listens on it.
        { name: 'PUBLIC_BASE_URL', value: 'https://${uniqueName}.azurewebsites.net' }
        {
          name: 'DATABASE_URL'
          value: 'postgres://${postgresAdminLogin}:${uriComponent(postgresAdminPassword)}@${postgres.properties.fullyQualifiedDomainName}:5432/${databaseName}?sslmode=require'
        }
      ]
    }
  }
  dependsOn: [
    database
    allowAzureServices
  ]
}

output TAB_AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id
output TAB_DOMAIN string = webApp.properties.defaultHostName
output TAB_ENDPOINT string = 'https://${webApp.properties.defaultHostName}'
output POSTGRES_SERVER_FQDN string = postgres.properties.fullyQualifiedDomainName
