/* A stand-in for the vendors' ID-card reader libraries, built from their published headers so
 * that the ctypes bindings are exercised across a real C ABI:
 * - SDT API (sdtapi.dll / libsdtapi.so): status bytes 0x90 ok, 0x9f found, 0x80/0x81 no card;
 * - termb (Windows): CVR_InitComm(int), CVR_ReadBaseMsg(text, *tl, photo, *pl, nMode);
 * - THID Linux (-DTHID, tovasLuo/cvr_lib_identify THID_CVR_IDCard.h): CVR_InitComm(int, char *),
 *   CVR_ReadBaseMsg(text, *tl, photo, *pl, finger, *finger_size, nMode), AutoCheckDevice(char *);
 * - the field API (-DNO_RAW): CVR_Read_Content(active) + GetPeople*(char *, int *).
 * As the vendor libraries do, the termb calls refuse nMode outside 1..4 and buffers smaller than
 * the data, and write WZ.TXT / XP.WLT (and ZP.BMP for the decoding modes) into the current
 * directory. Like a SAM, a card that was read is not found again until it is lifted
 * (stub_lift_card). The card it "reads" is set by the test through stub_set_card(). */
#include <stdio.h>
#include <string.h>

static unsigned char g_text[256];
static unsigned char g_photo[1024];
static unsigned int g_text_len = 0, g_photo_len = 0;
static int g_present = 0, g_open_port = -1, g_finds = 0, g_port_ok = 1001, g_last_mode = -1;
static int g_read_since_lift = 0, g_sam_like = 0;
static char g_fields[9][128];
static char g_device[128];

void stub_set_card(const unsigned char *text, unsigned int tl, const unsigned char *photo, unsigned int pl) {
    g_text_len = tl > 256 ? 256 : tl; memcpy(g_text, text, g_text_len);
    g_photo_len = pl > 1024 ? 1024 : pl; if (pl) memcpy(g_photo, photo, g_photo_len);
    g_present = 1; g_read_since_lift = 0;
}
void stub_set_field(int i, const char *gbk) { strncpy(g_fields[i], gbk, 127); g_fields[i][127] = 0; }
void stub_remove_card(void) { g_present = 0; }
void stub_lift_card(void) { g_read_since_lift = 0; }
void stub_sam_like(int on) { g_sam_like = on; }  /* 1: the read card is not found again until lifted */
void stub_set_port(int p) { g_port_ok = p; }
int stub_finds(void) { return g_finds; }
int stub_last_mode(void) { return g_last_mode; }
const char *stub_last_device(void) { return g_device; }

static int findable(void) { return g_present && !(g_sam_like && g_read_since_lift); }

static void write_file(const char *name, const unsigned char *data, unsigned int n) {
    FILE *f = fopen(name, "wb"); if (!f) return; fwrite(data, 1, n, f); fclose(f);
}
static void vendor_files(int mode) {
    write_file("WZ.TXT", g_text, g_text_len);
    write_file("XP.WLT", g_photo, g_photo_len);
    if (mode == 3 || mode == 4 || mode == 1000) write_file("ZP.BMP", (const unsigned char *)"BM", 2);
}

/* ---- SDT API */
int SDT_OpenPort(int port) { if (port != g_port_ok) return 0x01; g_open_port = port; return 0x90; }
int SDT_ClosePort(int port) { if (port != g_open_port) return 0x01; g_open_port = -1; return 0x90; }
int SDT_StartFindIDCard(int port, unsigned char *mana, int ifopen) {
    (void)ifopen; g_finds++;
    if (port != g_open_port) return 0x01;
    if (!findable()) return 0x80;
    memset(mana, 0, 8); return 0x9f;
}
int SDT_SelectIDCard(int port, unsigned char *mana, int ifopen) {
    (void)ifopen; if (port != g_open_port) return 0x01;
    if (!findable()) return 0x81; memset(mana, 0, 8); return 0x90;
}
int SDT_ReadBaseMsg(int port, unsigned char *text, unsigned int *tl, unsigned char *photo, unsigned int *pl, int ifopen) {
    (void)ifopen; if (port != g_open_port) return 0x01;
    if (!g_present) return 0x41;
    memcpy(text, g_text, g_text_len); *tl = g_text_len;
    memcpy(photo, g_photo, g_photo_len); *pl = g_photo_len;
    g_read_since_lift = 1;
    return 0x90;
}

/* ---- termb: 1 = success */
#ifdef THID
int CVR_InitComm(int port, char *device) {
    (void)port; strncpy(g_device, device ? device : "", 127); g_device[127] = 0;
    if (!device || strstr(device, "/dev/") != device) return 0;
    g_open_port = 1; return 1;
}
int AutoCheckDevice(char *serial_port) { (void)serial_port; return 1; }
#else
int CVR_InitComm(int port) { if (port != g_port_ok) return 0; g_open_port = port; return 1; }
#endif
int CVR_CloseComm(void) { g_open_port = -1; return 1; }
int CVR_Authenticate(void) { g_finds++; return (g_open_port >= 0 && findable()) ? 1 : 0; }

#ifndef NO_RAW
static int read_base(unsigned char *text, unsigned int *tl, unsigned char *photo, unsigned int *pl, int mode) {
    g_last_mode = mode;
    if (mode < 1 || mode > 4) return 0;           /* vendors: nMode is 1..4 */
    if (*tl < g_text_len || *pl < g_photo_len) return 0;  /* lengths in are the buffer sizes */
    if (!g_present) return 0;
    memcpy(text, g_text, g_text_len); *tl = g_text_len;
    memcpy(photo, g_photo, g_photo_len); *pl = g_photo_len;
    vendor_files(mode);
    g_read_since_lift = 1;
    return 1;
}
#ifdef THID
int CVR_ReadBaseMsg(unsigned char *text, unsigned int *tl, unsigned char *photo, unsigned int *pl,
                    unsigned char *finger, int *finger_size, int mode) {
    if (!finger || !finger_size) return 0;
    memset(finger, 0x5A, 16); *finger_size = 16;
    return read_base(text, tl, photo, pl, mode);
}
#else
int CVR_ReadBaseMsg(unsigned char *text, unsigned int *tl, unsigned char *photo, unsigned int *pl, int mode) {
    return read_base(text, tl, photo, pl, mode);
}
#endif
#else
int CVR_Read_Content(int active) {
    g_last_mode = active;
    if (!g_present) return 0;
    vendor_files(active == 1 ? 1000 : active);
    g_read_since_lift = 1;
    return 1;
}
static int field(int i, char *buf, int *len) {
    int n = (int)strlen(g_fields[i]); if (*len < n + 1) return 0;
    memcpy(buf, g_fields[i], n + 1); *len = n; return 1;
}
int GetPeopleName(char *b, int *l) { return field(0, b, l); }
int GetPeopleSex(char *b, int *l) { return field(1, b, l); }
int GetPeopleNation(char *b, int *l) { return field(2, b, l); }
int GetPeopleBirthday(char *b, int *l) { return field(3, b, l); }
int GetPeopleAddress(char *b, int *l) { return field(4, b, l); }
int GetPeopleIDCode(char *b, int *l) { return field(5, b, l); }
int GetDepartment(char *b, int *l) { return field(6, b, l); }
int GetStartDate(char *b, int *l) { return field(7, b, l); }
int GetEndDate(char *b, int *l) { return field(8, b, l); }
#endif
