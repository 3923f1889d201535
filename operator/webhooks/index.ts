export { startWebhookServer, type WebhookServer, type WebhookServerOptions } from './server.js';
export { loadCertificatesFromDir, loadCertificatesFromSecretData, type ServingCertificate } from './cert-source.js';
export { reviewConversion } from './conversion-review.js';
export { reviewAdmission } from './admission-review.js';
