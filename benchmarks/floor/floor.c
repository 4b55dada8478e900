/*
 * The floor: a plugin server that does no plugin work. It answers Kong's MessagePack-RPC with
 * canned bytes for the hello workload (HandleEvent -> kong.request.get_header, the Step that
 * carries the header -> kong.response.set_header, the Step without Data -> "ret"), one thread per
 * connection, blocking I/O. It relies on each request arriving in one read, as the load driver
 * and Kong's mp_rpc.lua write each request in one write.
 *
 * Usage: floor SOCKET_PATH
 */
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>


/* {"Id":0,"Name":"hello"} */
static const char START[] = "\x82\xa2Id\x00\xa4Name\xa5hello";
/* {"Data":{"Method":"kong.request.get_header","Args":["host"]},"EventId":1} */
static const char GET_HEADER[] =
    "\x82\xa4" "Data" "\x82\xa6" "Method" "\xb7" "kong.request.get_header"
    "\xa4" "Args" "\x91\xa4" "host" "\xa7" "EventId" "\x01";
/* {"Data":{"Method":"kong.response.set_header","Args":["x-hello-from-java","Java says hello to bench.example"]},"EventId":1} */
static const char SET_HEADER[] =
    "\x82\xa4" "Data" "\x82\xa6" "Method" "\xb8" "kong.response.set_header"
    "\xa4" "Args" "\x92\xb1" "x-hello-from-java" "\xd9\x20" "Java says hello to bench.example"
    "\xa7" "EventId" "\x01";
/* {"Data":"ret","EventId":1} */
static const char RET[] = "\x82\xa4" "Data" "\xa3" "ret" "\xa7" "EventId" "\x01";

static int write_all(int fd, const char *p, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w <= 0) return -1;
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

static void *serve(void *arg) {
  int fd = (int)(intptr_t)arg;
  unsigned char in[65536];
  char out[256];
  for (;;) {
    ssize_t n = read(fd, in, sizeof in);
    if (n <= 0) break;
    /* [0, msgid, method, params]: 0x94 0x00 msgid */
    if (n < 4 || in[0] != 0x94 || in[1] != 0x00) break;
    size_t at = 2;
    uint32_t msgid;
    if (in[at] < 0x80) { msgid = in[at]; at += 1; }
    else if (in[at] == 0xcc) { msgid = in[at + 1]; at += 2; }
    else if (in[at] == 0xcd) { msgid = (uint32_t)in[at + 1] << 8 | in[at + 2]; at += 3; }
    else if (in[at] == 0xce) {
      msgid = (uint32_t)in[at + 1] << 24 | (uint32_t)in[at + 2] << 16 | (uint32_t)in[at + 3] << 8 | in[at + 4];
      at += 5;
    } else break;
    if ((in[at] & 0xe0) != 0xa0) break;
    size_t len = in[at] & 0x1f;
    const char *method = (const char *)in + at + 1;
    const char *body;
    size_t body_len;
    if (len == 20 && memcmp(method, "plugin.StartInstance", 20) == 0) {
      body = START; body_len = sizeof START - 1;
    } else if (len == 18 && memcmp(method, "plugin.HandleEvent", 18) == 0) {
      body = GET_HEADER; body_len = sizeof GET_HEADER - 1;
    } else if (memmem(in + at + 1 + len, (size_t)n - at - 1 - len, "Data", 4) != NULL) {
      body = SET_HEADER; body_len = sizeof SET_HEADER - 1;
    } else {
      body = RET; body_len = sizeof RET - 1;
    }
    /* [1, msgid, nil, body] */
    out[0] = (char)0x94; out[1] = 0x01; out[2] = (char)0xce;
    out[3] = (char)(msgid >> 24); out[4] = (char)(msgid >> 16); out[5] = (char)(msgid >> 8); out[6] = (char)msgid;
    out[7] = (char)0xc0;
    memcpy(out + 8, body, body_len);
    if (write_all(fd, out, 8 + body_len) != 0) break;
  }
  close(fd);
  return NULL;
}

int main(int argc, char **argv) {
  if (argc != 2) { fprintf(stderr, "usage: floor SOCKET_PATH\n"); return 2; }
  signal(SIGPIPE, SIG_IGN);
  int s = socket(AF_UNIX, SOCK_STREAM, 0);
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  strncpy(addr.sun_path, argv[1], sizeof addr.sun_path - 1);
  unlink(argv[1]);
  if (bind(s, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(s, 1024) != 0) {
    perror(argv[1]);
    return 1;
  }
  for (;;) {
    int c = accept(s, NULL, NULL);
    if (c < 0) continue;
    pthread_t t;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&attr, 256 * 1024);
    if (pthread_create(&t, &attr, serve, (void *)(intptr_t)c) != 0) close(c);
    pthread_attr_destroy(&attr);
  }
}
