import { DefaultFailureConverter } from '@temporalio/common';

/**
 * Loaded by path (DataConverter.failureConverterPath) in the worker, the client and the workflow
 * sandbox: encodes failure messages and stack traces as a payload, which the payload codec
 * encrypts. The Temporal server then stores "Encoded failure" instead of, say, an SMTP answer
 * naming the recipient's address.
 */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
