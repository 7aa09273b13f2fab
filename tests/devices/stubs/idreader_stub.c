/* A stand-in for the vendors' ID-card reader libraries, built from the published signatures
 * of the SDT API and the termb API, so that the ctypes bindings are exercised across a real
 * C ABI. The card it "reads" is set by the test through stub_set_card(). */
#include <string.h>

static unsigned char g_text[256];
static unsigned char g_photo[1024];
static unsigned int g_text_len = 0, g_photo_len = 0;
static int g_present = 0, g_open_port = -1, g_finds = 0, g_port_ok = 1001;
static char g_fields[9][128];

void stub_set_card(const unsigned char *text, unsigned int tl, const unsigned char *photo, unsigned int pl) {
    g_text_len = tl > 256 ? 256 : tl; memcpy(g_text, text, g_text_len);
    g_photo_len = pl > 1024 ? 1024 : pl; if (pl) memcpy(g_photo, photo, g_photo_len);
    g_present = 1;
}
void stub_set_field(int i, const char *gbk) { strncpy(g_fields[i], gbk, 127); g_fields[i][127] = 0; }
void stub_remove_card(void) { g_present = 0; }
void stub_set_port(int p) { g_port_ok = p; }
int stub_finds(void) { return g_finds; }

/* ---- SDT API: status bytes 0x90 ok, 0x9f found, 0x80 no card, 0x81 select failed */
int SDT_OpenPort(int port) { if (port != g_port_ok) return 0x01; g_open_port = port; return 0x90; }
int SDT_ClosePort(int port) { if (port != g_open_port) return 0x01; g_open_port = -1; return 0x90; }
int SDT_StartFindIDCard(int port, unsigned char *mana, int ifopen) {
    (void)ifopen; g_finds++;
    if (port != g_open_port) return 0x01;
    if (!g_present) return 0x80;
    memset(mana, 0, 8); return 0x9f;
}
int SDT_SelectIDCard(int port, unsigned char *mana, int ifopen) {
    (void)ifopen; if (port != g_open_port) return 0x01;
    if (!g_present) return 0x81; memset(mana, 0, 8); return 0x90;
}
int SDT_ReadBaseMsg(int port, unsigned char *text, unsigned int *tl, unsigned char *photo, unsigned int *pl, int ifopen) {
    (void)ifopen; if (port != g_open_port) return 0x01;
    if (!g_present) return 0x41;
    memcpy(text, g_text, g_text_len); *tl = g_text_len;
    memcpy(photo, g_photo, g_photo_len); *pl = g_photo_len;
    return 0x90;
}

/* ---- termb: 1 = success */
int CVR_InitComm(int port) { if (port != g_port_ok) return 0; g_open_port = port; return 1; }
int CVR_CloseComm(void) { g_open_port = -1; return 1; }
int CVR_Authenticate(void) { g_finds++; return (g_open_port >= 0 && g_present) ? 1 : 0; }
#ifndef NO_RAW
int CVR_ReadBaseMsg(unsigned char *text, unsigned int *tl, unsigned char *photo, unsigned int *pl, int mode) {
    (void)mode; if (!g_present) return 0;
    memcpy(text, g_text, g_text_len); *tl = g_text_len;
    memcpy(photo, g_photo, g_photo_len); *pl = g_photo_len;
    return 1;
}
#else
int CVR_Read_Content(int active) { (void)active; return g_present ? 1 : 0; }
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
