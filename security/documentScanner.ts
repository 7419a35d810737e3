/**
 * The virus scan of uploaded documents, a pluggable interface: a deployment plugs in its
 * scanner (for example clamd's INSTREAM command, or the municipal data centre's ICAP service).
 * Infected files are refused and never stored.
 */
export interface DocumentScanner {
  readonly engine: string;
  scan(content: Buffer, contentType: string): Promise<'clean' | 'infected' | 'unscanned'>;
}

/**
 * The default until a scanner is plugged in: stores the file marked "unscanned", so staff see
 * that it has not been checked. Never claims a file is clean.
 */
export const unscannedDocumentScanner: DocumentScanner = {
  engine: 'none',
  async scan() {
    return 'unscanned';
  },
};

/** What a file's first bytes say it is: the declared type must match. */
export function detectDocumentType(content: Buffer): 'application/pdf' | 'image/png' | 'image/jpeg' | undefined {
  if (content.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (content.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (content.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff]))) return 'image/jpeg';
  return undefined;
}
