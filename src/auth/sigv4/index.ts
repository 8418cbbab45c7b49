export * from './canonical-request.js';
export * from './signature-parameters.js';
export * from './signing-key.js';
export * from './verifier.js';
export * from './signer.js';
