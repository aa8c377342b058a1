package dev.aiagg.proxy;

import java.util.Base64;

/**
 * The width and height of a base64 image, read from its PNG, JPEG, GIF or WebP header: only the few bytes the header
 * takes are decoded, whatever the image's size. Null when the format is another or the header cannot be read.
 */
record ImageSize(long width, long height) {

    /** JPEG segments walked before giving up on finding the frame header. */
    private static final int MAX_SEGMENTS = 4_096;

    /** @param data base64 (standard alphabet, padding optional) from {@code start} to its end */
    static ImageSize of(String data, int start) {
        Bytes bytes = new Bytes(data, start);
        try {
            if (bytes.at(0) == 0x89 && bytes.at(1) == 'P' && bytes.at(2) == 'N' && bytes.at(3) == 'G') {
                return sized(bytes.int32(16), bytes.int32(20));
            }
            if (bytes.at(0) == 'G' && bytes.at(1) == 'I' && bytes.at(2) == 'F') {
                return sized(bytes.at(6) | bytes.at(7) << 8, bytes.at(8) | bytes.at(9) << 8);
            }
            if (bytes.at(0) == 'R' && bytes.at(1) == 'I' && bytes.at(8) == 'W' && bytes.at(9) == 'E') {
                return webp(bytes);
            }
            if (bytes.at(0) == 0xFF && bytes.at(1) == 0xD8) {
                return jpeg(bytes);
            }
            return null;
        } catch (IllegalArgumentException | IndexOutOfBoundsException unreadable) {
            return null;
        }
    }

    private static ImageSize webp(Bytes bytes) {
        int chunk = bytes.at(12) << 24 | bytes.at(13) << 16 | bytes.at(14) << 8 | bytes.at(15);
        return switch (chunk) {
            // VP8X: canvas width and height, minus one, in 24 bits each.
            case 0x56503858 -> sized(1 + (bytes.at(24) | bytes.at(25) << 8 | bytes.at(26) << 16),
                    1 + (bytes.at(27) | bytes.at(28) << 8 | bytes.at(29) << 16));
            // VP8L: after its signature byte, 14 bits of width and 14 of height, minus one.
            case 0x5650384C -> {
                long bits = bytes.at(21) | bytes.at(22) << 8 | bytes.at(23) << 16 | (long) bytes.at(24) << 24;
                yield sized(1 + (bits & 0x3FFF), 1 + (bits >> 14 & 0x3FFF));
            }
            // VP8 (lossy): after the frame tag and start code, 14 bits each.
            case 0x56503820 -> sized(bytes.at(26) | (bytes.at(27) & 0x3F) << 8, bytes.at(28) | (bytes.at(29) & 0x3F) << 8);
            default -> null;
        };
    }

    private static ImageSize jpeg(Bytes bytes) {
        long position = 2;
        for (int segment = 0; segment < MAX_SEGMENTS; segment++) {
            if (bytes.at(position) != 0xFF) {
                return null;
            }
            int marker = bytes.at(position + 1);
            if (marker == 0xFF) {
                position++;
            } else if (marker == 0x01 || marker >= 0xD0 && marker <= 0xD7) {
                position += 2;
            } else if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
                // A frame header: length, precision, then height and width.
                return sized(bytes.at(position + 7) << 8 | bytes.at(position + 8),
                        bytes.at(position + 5) << 8 | bytes.at(position + 6));
            } else {
                position += 2 + (bytes.at(position + 2) << 8 | bytes.at(position + 3));
            }
        }
        return null;
    }

    private static ImageSize sized(long width, long height) {
        return width > 0 && height > 0 ? new ImageSize(width, height) : null;
    }

    /** Decoded bytes at any offset of a base64 text, decoding only the four characters that hold each. */
    private static final class Bytes {

        private final String data;
        private final int start;
        private long group = -1;
        private byte[] decoded;

        Bytes(String data, int start) {
            this.data = data;
            this.start = start;
        }

        /** The unsigned byte at {@code offset}; throws when the data ends before it or is not base64. */
        int at(long offset) {
            long wanted = offset / 3;
            if (wanted != group) {
                long from = start + wanted * 4;
                if (from + 4 > data.length()) {
                    int left = (int) (data.length() - from);
                    if (left < 2) {
                        throw new IndexOutOfBoundsException("image data ends at byte " + offset);
                    }
                    decoded = Base64.getDecoder().decode(data.substring((int) from) + "==".substring(0, 4 - left));
                } else {
                    decoded = Base64.getDecoder().decode(data.substring((int) from, (int) from + 4));
                }
                group = wanted;
            }
            int index = (int) (offset % 3);
            if (index >= decoded.length) {
                throw new IndexOutOfBoundsException("image data ends at byte " + offset);
            }
            return decoded[index] & 0xFF;
        }

        long int32(long offset) {
            return (long) at(offset) << 24 | at(offset + 1) << 16 | at(offset + 2) << 8 | at(offset + 3);
        }
    }
}
