/* A stand-in for the vendors' WLT photo decoders, reproducing their output formats:
 * - default: int unpack(char *src, char *dst, int bmpSave) (libwlt.so / DLL_File.dll), which
 *   writes 102 x 126 x 3 = 38,556 raw bytes (B, G, R; rows bottom-up; no header, no padding),
 *   the buffer size the Android samples allocate (superoctober1213/AppBluetooth WLTService.java);
 * - -DGETBMP: int GetBmp(char *wltFile, int intf) (WltRS.dll / libwltu.so), which reads the
 *   .wlt file and writes a 24-bit BMP (54-byte header, rows bottom-up padded to 4 bytes) next
 *   to it with the extension .bmp.
 * The WLT compression itself is the vendor's secret: the "decoded" pixels are the raw BGR
 * bytes in the file named by WLT_STUB_RAW (top-down rows, as the test prepares them).
 * A WLT starting with 0xEE is refused (return -1). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define W 102
#define H 126
#define RAW (W * H * 3)

static int load_pixels(unsigned char *px) {
    const char *path = getenv("WLT_STUB_RAW");
    FILE *f = path ? fopen(path, "rb") : NULL;
    if (!f) return 0;
    size_t n = fread(px, 1, RAW, f); fclose(f);
    return n == RAW;
}

#ifndef GETBMP
int unpack(char *src, char *dst, int bmp_save) {
    unsigned char px[RAW];
    (void)bmp_save;
    if ((unsigned char)src[0] == 0xEE || !load_pixels(px)) return -1;
    for (int top = 0; top < H; top++)  /* bottom-up rows, no padding */
        memcpy(dst + (H - 1 - top) * W * 3, px + top * W * 3, W * 3);
    return 1;
}
#else
static void le32(unsigned char *p, unsigned v) { p[0] = v; p[1] = v >> 8; p[2] = v >> 16; p[3] = v >> 24; }
int GetBmp(char *wlt_file, int intf) {
    unsigned char wlt[1024], px[RAW], hdr[54];
    const int row = (W * 3 + 3) & ~3;
    char out[4096];
    FILE *f = fopen(wlt_file, "rb");
    if (!f || intf < 1 || intf > 2) { if (f) fclose(f); return -1; }
    size_t n = fread(wlt, 1, sizeof wlt, f); fclose(f);
    if (n != 1024 || wlt[0] == 0xEE || !load_pixels(px)) return -1;
    strncpy(out, wlt_file, sizeof out - 5); out[sizeof out - 5] = 0;
    char *dot = strrchr(out, '.'); if (dot) *dot = 0; strcat(out, ".bmp");
    memset(hdr, 0, sizeof hdr);
    hdr[0] = 'B'; hdr[1] = 'M'; le32(hdr + 2, 54 + row * H); le32(hdr + 10, 54); le32(hdr + 14, 40);
    le32(hdr + 18, W); le32(hdr + 22, H); hdr[26] = 1; hdr[28] = 24; le32(hdr + 34, row * H);
    f = fopen(out, "wb"); if (!f) return -1;
    fwrite(hdr, 1, 54, f);
    unsigned char line[(W * 3 + 3) & ~3];
    memset(line, 0, sizeof line);
    for (int top = H - 1; top >= 0; top--) { memcpy(line, px + top * W * 3, W * 3); fwrite(line, 1, row, f); }
    fclose(f);
    return 1;
}
#endif
