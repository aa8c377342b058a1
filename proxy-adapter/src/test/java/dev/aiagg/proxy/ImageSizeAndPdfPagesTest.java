package dev.aiagg.proxy;

import static dev.aiagg.proxy.Media.base64;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ImageSizeAndPdfPagesTest {

    @Test
    void readsTheSizeFromEveryFormatsHeader() {
        assertThat(ImageSize.of(base64(Media.png(1024, 768)), 0)).isEqualTo(new ImageSize(1024, 768));
        assertThat(ImageSize.of(base64(Media.jpeg(4032, 3024)), 0)).isEqualTo(new ImageSize(4032, 3024));
        assertThat(ImageSize.of(base64(Media.gif(320, 200)), 0)).isEqualTo(new ImageSize(320, 200));
        assertThat(ImageSize.of(base64(Media.webpLossy(1920, 1080)), 0)).isEqualTo(new ImageSize(1920, 1080));
        assertThat(ImageSize.of(base64(Media.webpLossless(800, 600)), 0)).isEqualTo(new ImageSize(800, 600));
        assertThat(ImageSize.of(base64(Media.webpExtended(5000, 3000)), 0)).isEqualTo(new ImageSize(5000, 3000));
    }

    @Test
    void readsFromADataUrlWithoutTheRestOfTheImage() {
        String url = "data:image/png;base64," + base64(Media.png(2048, 4096));
        assertThat(ImageSize.of(url, url.indexOf(',') + 1)).isEqualTo(new ImageSize(2048, 4096));
        String unpadded = base64(Media.gif(7, 9)).replace("=", "");
        assertThat(ImageSize.of(unpadded, 0)).isEqualTo(new ImageSize(7, 9));
    }

    @Test
    void anUnknownFormatOrABrokenHeaderHasNoSize() {
        assertThat(ImageSize.of(base64("plain text, not an image".getBytes(StandardCharsets.UTF_8)), 0)).isNull();
        assertThat(ImageSize.of(base64(new byte[] {(byte) 0x89, 'P', 'N', 'G'}), 0)).isNull();
        assertThat(ImageSize.of("not base64 at all!", 0)).isNull();
        assertThat(ImageSize.of(base64(Media.png(0, 10)), 0)).isNull();
        assertThat(ImageSize.of("", 0)).isNull();
    }

    @Test
    void countsThePagesOfAPdf() {
        assertThat(PdfPages.count(base64(Media.pdf(7, " /Page")), 0)).isEqualTo(7);
        assertThat(PdfPages.count(base64(Media.pdf(3, "/Page")), 0)).isEqualTo(3);
        String url = "data:application/pdf;base64," + base64(Media.pdf(2, " /Page"));
        assertThat(PdfPages.count(url, url.indexOf(',') + 1)).isEqualTo(2);
    }

    @Test
    void pagesInCompressedObjectStreamsCount() {
        assertThat(PdfPages.count(base64(Media.pdfWithObjectStream(12)), 0)).isEqualTo(12);
    }

    @Test
    void escapedNamesCannotHidePages() {
        // "/P#61ge" is "/Page" to every PDF reader.
        assertThat(PdfPages.count(base64(Media.pdf(4, " /P#61ge")), 0)).isEqualTo(4);
    }

    @Test
    void aPageTreeThatStatesMorePagesThanItsObjectsShowCountsTheStatedNumber() {
        byte[] pdf = ("%PDF-1.4\n2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 40 >>\nendobj\n"
                + "3 0 obj\n<< /Type /Page >>\nendobj\n").getBytes(StandardCharsets.US_ASCII);
        assertThat(PdfPages.count(base64(pdf), 0)).isEqualTo(40);
    }

    @Test
    void pagesThatCannotBeCountedAreUnknown() {
        assertThat(PdfPages.count(base64(Media.encryptedPdf()), 0)).isEqualTo(-1);
        assertThat(PdfPages.count(base64("%PDF-1.4\nno pages here\n".getBytes(StandardCharsets.US_ASCII)), 0))
                .isEqualTo(-1);
        assertThat(PdfPages.count("%%% not base64 %%%", 0)).isEqualTo(-1);
        byte[] notDeflated = ("%PDF-1.5\n5 0 obj\n<</Type/ObjStm/N 1/First 4>>\nstream\n"
                + "<</Type/Page>> plain, not deflated\nendstream\nendobj\n").getBytes(StandardCharsets.US_ASCII);
        assertThat(PdfPages.count(base64(notDeflated), 0)).isEqualTo(-1);
    }
}
