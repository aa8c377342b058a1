package dev.aiagg.proxy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.Deflater;

/** Images and PDFs as clients send them, built byte by byte: headers that say a size, pages that can be counted. */
final class Media {

    private Media() {
    }

    static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** A PNG signature and header chunk naming these dimensions, and a little image data. */
    static byte[] png(int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'});
        int32(out, width);
        int32(out, height);
        out.writeBytes(new byte[] {8, 6, 0, 0, 0, 1, 2, 3, 4, 0, 0, 0, 0, 'I', 'D', 'A', 'T'});
        return out.toByteArray();
    }

    /** A JPEG with an application segment before its frame header, as cameras write them. */
    static byte[] jpeg(int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE1});
        byte[] exif = new byte[300];
        int16(out, exif.length + 2);
        out.writeBytes(exif);
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xC2});
        int16(out, 17);
        out.write(8);
        int16(out, height);
        int16(out, width);
        out.writeBytes(new byte[12]);
        return out.toByteArray();
    }

    static byte[] gif(int width, int height) {
        return new byte[] {'G', 'I', 'F', '8', '9', 'a', (byte) width, (byte) (width >> 8), (byte) height,
                (byte) (height >> 8), 0, 0, 0};
    }

    /** A lossy WebP ("VP8 " chunk). */
    static byte[] webpLossy(int width, int height) {
        ByteArrayOutputStream out = riff("VP8 ");
        out.writeBytes(new byte[] {0, 0, 0, (byte) 0x9D, 0x01, 0x2A, (byte) width, (byte) (width >> 8),
                (byte) height, (byte) (height >> 8), 0, 0});
        return out.toByteArray();
    }

    /** A lossless WebP ("VP8L" chunk): 14 bits of width and height, each minus one. */
    static byte[] webpLossless(int width, int height) {
        ByteArrayOutputStream out = riff("VP8L");
        long bits = (width - 1) | (long) (height - 1) << 14;
        out.writeBytes(new byte[] {0x2F, (byte) bits, (byte) (bits >> 8), (byte) (bits >> 16), (byte) (bits >> 24),
                0, 0});
        return out.toByteArray();
    }

    /** An extended WebP ("VP8X" chunk): 24 bits of canvas width and height, each minus one. */
    static byte[] webpExtended(int width, int height) {
        ByteArrayOutputStream out = riff("VP8X");
        out.writeBytes(new byte[] {0, 0, 0, 0, (byte) (width - 1), (byte) ((width - 1) >> 8),
                (byte) ((width - 1) >> 16), (byte) (height - 1), (byte) ((height - 1) >> 8),
                (byte) ((height - 1) >> 16), 0, 0});
        return out.toByteArray();
    }

    /** A PDF whose pages are plain objects; {@code typeName} spells "/Page" as the PDF writes it. */
    static byte[] pdf(int pages, String typeName) {
        StringBuilder pdf = new StringBuilder("%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
        pdf.append("2 0 obj\n<< /Type /Pages /Kids [");
        for (int i = 0; i < pages; i++) {
            pdf.append(3 + i).append(" 0 R ");
        }
        pdf.append("] /Count ").append(pages).append(" >>\nendobj\n");
        for (int i = 0; i < pages; i++) {
            pdf.append(3 + i).append(" 0 obj\n<</Type").append(typeName)
                    .append("/Parent 2 0 R/MediaBox[0 0 612 792]/Contents ").append(100 + i).append(" 0 R>>\nendobj\n");
        }
        pdf.append("trailer\n<< /Root 1 0 R >>\n%%EOF\n");
        return pdf.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * A PDF 1.5 whose page objects are all inside one compressed object stream, and whose page tree states no count,
     * as many writers make them.
     */
    static byte[] pdfWithObjectStream(int pages) {
        StringBuilder objects = new StringBuilder("<</Type/Pages/Kids[]>>\n");
        for (int i = 0; i < pages; i++) {
            objects.append("<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>\n");
        }
        Deflater deflater = new Deflater();
        deflater.setInput(objects.toString().getBytes(StandardCharsets.US_ASCII));
        deflater.finish();
        byte[] buffer = new byte[64 * 1024];
        int length = deflater.deflate(buffer);
        deflater.end();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("%PDF-1.5\n1 0 obj\n<</Type/Catalog/Pages 2 0 R>>\nendobj\n5 0 obj\n<</Type/ObjStm/N "
                + (pages + 1) + "/First 10/Filter/FlateDecode/Length " + length + ">>\nstream\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(buffer, 0, length);
        out.writeBytes("\r\nendstream\nendobj\ntrailer\n<</Root 1 0 R>>\n%%EOF\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    static byte[] encryptedPdf() {
        return ("%PDF-1.6\n1 0 obj\n<</Type/Catalog/Pages 2 0 R>>\nendobj\n3 0 obj\n<</Type/Page>>\nendobj\n"
                + "trailer\n<</Root 1 0 R/Encrypt 9 0 R>>\n%%EOF\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static ByteArrayOutputStream riff(String chunk) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("RIFF".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(new byte[] {64, 0, 0, 0});
        out.writeBytes(("WEBP" + chunk).getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(new byte[] {32, 0, 0, 0});
        return out;
    }

    private static void int32(ByteArrayOutputStream out, int value) {
        out.writeBytes(new byte[] {(byte) (value >> 24), (byte) (value >> 16), (byte) (value >> 8), (byte) value});
    }

    private static void int16(ByteArrayOutputStream out, int value) {
        out.write(value >> 8);
        out.write(value);
    }
}
