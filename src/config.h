/* The configuration file: where it is, and what it says. No curses; called
 * from main before the UI starts (main thread only). */
#ifndef ZKTUI_CONFIG_H
#define ZKTUI_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

/* Every key of config.yaml: X(yaml name, struct field, kind, help). The
 * loader, the tests and config.yaml.example follow this list; a key added
 * here needs a line (with its default) in config.yaml.example. Kinds:
 * STRING (non-empty text), PATH (text; empty means the built-in default),
 * MS (a positive duration: a number of milliseconds, or with an "ms" or "s"
 * suffix), MS_OFF (the same, or "off": CONFIG_OFF), COUNT (a positive
 * whole number), BOOL (true/false, yes/no) and
 * ZPATHS (a list of znode paths, or one path; [] for none), CREDS (a
 * list of scheme:credential, or one; checked by auth_check, and never
 * quoted in an error: they hold passwords), HOSTS (a connect string,
 * checked by connect_string_valid), MEMBERS (the same, or empty for the
 * default) and THEME (a theme name or file that theme_find finds, or
 * "default"). */
#define CONFIG_KEYS(X)                                                                  \
    X("server", server, HOSTS, "ZooKeeper connect string: host:port[,host:port...][/chroot]") \
    X("session_timeout", session_timeout_ms, MS, "session timeout asked of the server")  \
    X("log", log_file, PATH, "ZooKeeper client log; empty: $XDG_STATE_HOME/zktui/zktui.log") \
    X("theme", theme, THEME, "theme name (NAME.yaml in the theme directories) or file") \
    X("locks", locks, ZPATHS, "lock roots, besides any node named locks, lock or semaphores") \
    X("services", services, ZPATHS, "service registries, besides any node named services") \
    X("hold_warn", hold_warn_ms, MS, "a lock holder held longer than this is highlighted") \
    X("probe_interval", probe_interval_ms, MS_OFF, "how often each ensemble member is asked srvr; off: never") \
    X("event_log_size", event_log_size, COUNT, "events kept in the log (the oldest go)") \
    X("max_children", max_children, COUNT, "opening a node with more children than this asks first") \
    X("walk_window", walk_window, COUNT, "reads in flight at once in a bulk walk (*, :find, --dump)") \
    X("data_cache", data_cache, COUNT, "bytes of node data kept for the nodes on screen")    \
    X("watch_budget", watch_budget, COUNT, "bytes of watched paths kept armed (a reconnection re-sends them in one packet, refused past 1 MB)") \
    X("read_only", read_only, BOOL, "no change is ever sent (as --read-only)")            \
    X("auth", auth, CREDS, "credentials sent on connecting: scheme:credential, e.g. digest:user:password") \
    X("ensemble", ensemble, MEMBERS, "members to probe with srvr, host:port[,host:port...]; empty: the server list") \
    X("tls_ca", tls_ca, PATH, "TLS: the CA certificate file (needs a C client built with OpenSSL)") \
    X("tls_cert", tls_cert, PATH, "TLS: the client certificate file")                     \
    X("tls_key", tls_key, PATH, "TLS: the client key file")                               \
    X("context", context, PATH, "the cluster to use when --context is not given; empty: the first")

/* The keys a cluster entry (under clusters:) may set; the others are for
 * the whole file. */
#define CONFIG_CLUSTER_KEYS                                                              \
    { "server", "session_timeout", "theme", "locks", "services", "read_only", "auth",      \
      "ensemble", "tls_ca", "tls_cert", "tls_key" }
#define CONFIG_MAX_CLUSTERS 32
#define CONFIG_OFF (-1) /* an MS_OFF key set to off */
#define CONFIG_MAX_BINDINGS 64

#define CONFIG_MAX_PATHS 32
#define CONFIG_MAX_CREDS 8

/* A list of znode paths from the configuration. */
struct zpaths {
    int n;
    char v[CONFIG_MAX_PATHS][512];
};

/* Credentials ("scheme:credential") from the configuration or ZKTUI_AUTH. */
struct creds {
    int n;
    char v[CONFIG_MAX_CREDS][512];
};

struct config {
    char server[1024];
    int session_timeout_ms;
    char log_file[1024];  /* "" means $XDG_STATE_HOME/zktui/zktui.log */
    char theme[256];
    struct zpaths locks;
    struct zpaths services;
    int hold_warn_ms;
    int probe_interval_ms; /* CONFIG_OFF: no probes */
    int event_log_size;
    int max_children;
    int walk_window;
    int data_cache;
    int watch_budget;
    bool read_only;
    struct creds auth;
    char ensemble[1024];  /* "" means the hosts of server */
    char tls_ca[1024];
    char tls_cert[1024];
    char tls_key[1024];
    char context[64];     /* the file's choice of cluster */
    /* clusters: a mapping of name -> keys (CONFIG_CLUSTER_KEYS) that apply
     * over the file's own; one of them is in force. */
    int nclusters;
    char clusters[CONFIG_MAX_CLUSTERS][64];
    char cluster[64];     /* the one in force; "" when there are none */
    /* keys: action name -> its keys (codes, as ui/keys.h reads them),
     * replacing the defaults of that action. */
    int nbindings;
    struct {
        int action;       /* an enum action */
        int keys[8];
        int n;
    } bindings[CONFIG_MAX_BINDINGS];
    char warnings[1024];  /* lines "FILE:LINE:COL: unknown key 'x'\n"; "" if none */
};

/* Fills c (caller-owned) with the built-in defaults: server
 * "127.0.0.1:2181", session timeout 10000 ms, default log file, theme
 * "default", no lock roots, registry /servers, hold_warn 60 s, probes every
 * 2 s, 10000 events, no warnings. */
void config_defaults(struct config *c);

/* Applies the YAML mapping in file on top of c. A wrong value is an error:
 * "FILE:LINE:COL: key: what" into err (errlen bytes), false, and c left as
 * it was. An unknown key is only a warning, appended to c->warnings. An
 * empty file changes nothing. */
bool config_load_file(struct config *c, const char *file, char *err, size_t errlen);

/* The same, with the cluster named context (NULL: the file's context:
 * key, else the first cluster) applied over the file's own keys. Naming a
 * cluster the file does not have is an error listing those it has. */
bool config_load_context(struct config *c, const char *file, const char *context, char *err,
                         size_t errlen);

/* The file to load: cli_path if given, else $ZKTUI_CONFIG if set, else
 * $XDG_CONFIG_HOME/zktui/config.yaml (~/.config/... without it). NULL
 * when that file does not exist; *must_exist then says whether that is an
 * error (the file was named by cli_path or $ZKTUI_CONFIG) or just means
 * "no config". The result is cli_path, getenv's string or a static
 * buffer: valid until the next call or change of the environment. */
const char *config_find(const char *cli_path, bool *must_exist);

/* ZKTUI_AUTH's value: one credential, or several on separate lines (blank
 * lines skipped), each checked as the config's auth entries; they replace
 * c->auth. False with "ZKTUI_AUTH: line N: what" in err (never quoting a
 * secret), c->auth left as it was. */
bool config_auth_env(struct config *c, const char *value, char *err, size_t errlen);

/* True when file can be read by its group or by others (its permission
 * bits in *mode): a file holding passwords should not be. */
bool config_file_exposed(const char *file, unsigned *mode);

#endif
