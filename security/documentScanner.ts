/**
 * The virus scan of uploaded documents. A document is stored only when a scanner has passed it
 * (`clean`) — or, where the operator has explicitly switched scanning off (`DOCUMENT_SCAN=off`),
 * marked `unscanned`, so staff see that it has not been checked. Infected files are refused and
 * never stored; a scanner that cannot answer refuses the upload (503), it never waves it through.
 */
export interface DocumentScanner {
  readonly engine: string;
  /** True only for the explicit opt-out: its `unscanned` verdict may be stored. */
  readonly optedOut?: boolean;
  /** @throws ScannerUnavailableError when the scanner cannot give a verdict */
  scan(content: Buffer, contentType: string): Promise<'clean' | 'infected' | 'unscanned'>;
}

/** The scanner did not answer, or answered something other than a verdict. */
export class ScannerUnavailableError extends Error {}

/**
 * The explicit opt-out (`DOCUMENT_SCAN=off`): stores the file marked "unscanned". Never claims a
 * file is clean.
 */
export const unscannedDocumentScanner: DocumentScanner = {
  engine: 'none',
  optedOut: true,
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
