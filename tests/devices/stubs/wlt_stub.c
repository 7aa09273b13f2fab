/* A stand-in for the vendor's WLT decoder with the documented export
 * int unpack(char *src, char *dst, int bmpSave): it writes a 54-byte BMP header and
 * 102 x 126 BGR rows bottom-up (rows padded to 4 bytes), as the vendor library does.
 * The "photo" is a pattern the test can check: B = src[0], G = row from the top, R = column. */
#include <string.h>

int unpack(char *src, char *dst, int bmp_save) {
    (void)bmp_save;
    if ((unsigned char)src[0] == 0xEE) return -1; /* a WLT the decoder rejects */
    const int w = 102, h = 126, row = (w * 3 + 3) & ~3;
    memset(dst, 0, 54 + row * h);
    dst[0] = 'B'; dst[1] = 'M';
    for (int top = 0; top < h; top++) {
        unsigned char *p = (unsigned char *)dst + 54 + (h - 1 - top) * row;
        for (int c = 0; c < w; c++) {
            p[c * 3 + 0] = (unsigned char)src[0];
            p[c * 3 + 1] = (unsigned char)top;
            p[c * 3 + 2] = (unsigned char)c;
        }
    }
    return 1;
}
