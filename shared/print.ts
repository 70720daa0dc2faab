/** A printed document as the router hands it to the screen: the PDF's bytes in base64 and a file name to save it under. */
export interface PrintedPdf {
  fileName: string;
  base64: string;
}
