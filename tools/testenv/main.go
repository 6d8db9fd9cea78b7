// Command testenv-apiserver runs a real kube-apiserver backed by an embedded
// etcd in one process: the project's envtest. The TypeScript side
// (src/testenv.ts) chooses the port, writes the token file and kubeconfig,
// and stops the process with SIGTERM.
package main

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"flag"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"go.etcd.io/etcd/server/v3/embed"
	"k8s.io/component-base/cli"
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
)

func main() {
	dir := flag.String("dir", "", "data directory (etcd data, certificates, keys); must exist")
	port := flag.Int("port", 0, "secure port of the kube-apiserver on 127.0.0.1")
	tokenFile := flag.String("token-auth-file", "", "static token file (token,user,uid,\"groups\")")
	withParent := flag.Bool("exit-with-parent", false, "stop when stdin reaches EOF and then remove --dir")
	flag.Parse()
	if *dir == "" || *port == 0 || *tokenFile == "" {
		fmt.Fprintln(os.Stderr, "usage: testenv-apiserver --dir DIR --port PORT --token-auth-file FILE [--exit-with-parent] [-- extra kube-apiserver flags]")
		os.Exit(2)
	}
	var orphaned atomic.Bool
	if *withParent {
		watchParent(&orphaned)
	}
	code := run(*dir, *port, *tokenFile, flag.Args())
	if orphaned.Load() {
		// Nobody is left to clean up after us: a test runner that was killed
		// must not leave gigabytes of etcd data in the tmpdir.
		os.RemoveAll(*dir)
	}
	os.Exit(code)
}

// watchParent turns the death of the parent into a graceful stop. The parent
// holds the write end of our stdin and never writes to it; the kernel closes it
// when the parent exits for any reason (including SIGKILL), so EOF here means
// that nobody will ever send the SIGTERM that normally stops us.
func watchParent(orphaned *atomic.Bool) {
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		orphaned.Store(true)
		_ = syscall.Kill(os.Getpid(), syscall.SIGTERM)
	}()
}

func run(dir string, port int, tokenFile string, extra []string) int {
	etcd, etcdURL, err := startEtcd(filepath.Join(dir, "etcd"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "testenv: etcd:", err)
		return 1
	}
	defer etcd.Close()

	keyFile := filepath.Join(dir, "service-account.pem")
	if err := writeServiceAccountKey(keyFile); err != nil {
		fmt.Fprintln(os.Stderr, "testenv: service account key:", err)
		return 1
	}
	egressFile, err := startEgress(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "testenv: egress:", err)
		return 1
	}

	args := []string{
		"--etcd-servers=" + etcdURL,
		fmt.Sprintf("--secure-port=%d", port),
		"--bind-address=127.0.0.1",
		"--advertise-address=127.0.0.1",
		"--cert-dir=" + filepath.Join(dir, "certs"),
		"--service-cluster-ip-range=10.0.0.0/24",
		"--allow-privileged=true",
		"--disable-admission-plugins=ServiceAccount",
		"--authorization-mode=RBAC",
		"--token-auth-file=" + tokenFile,
		fmt.Sprintf("--service-account-issuer=https://127.0.0.1:%d/", port),
		"--service-account-key-file=" + keyFile,
		"--service-account-signing-key-file=" + keyFile,
		// Webhook Services resolve through EndpointSlices, so a webhook without
		// ready endpoints fails at once, as on a cluster with kube-proxy.
		"--enable-aggregator-routing=true",
		"--egress-selector-config-file=" + egressFile,
	}
	cmd := app.NewAPIServerCommand()
	cmd.SetArgs(append(args, extra...))
	return cli.Run(cmd)
}

func startEtcd(dataDir string) (*embed.Etcd, string, error) {
	clientPort, err := freePort()
	if err != nil {
		return nil, "", err
	}
	peerPort, err := freePort()
	if err != nil {
		return nil, "", err
	}
	clientURL, _ := url.Parse(fmt.Sprintf("http://127.0.0.1:%d", clientPort))
	peerURL, _ := url.Parse(fmt.Sprintf("http://127.0.0.1:%d", peerPort))

	cfg := embed.NewConfig()
	cfg.Dir = dataDir
	cfg.ListenClientUrls = []url.URL{*clientURL}
	cfg.AdvertiseClientUrls = []url.URL{*clientURL}
	cfg.ListenPeerUrls = []url.URL{*peerURL}
	cfg.AdvertisePeerUrls = []url.URL{*peerURL}
	cfg.InitialCluster = cfg.InitialClusterFromName(cfg.Name)
	cfg.LogLevel = "error"
	// Test data is thrown away with the data dir: durability buys nothing here.
	cfg.UnsafeNoFsync = true

	e, err := embed.StartEtcd(cfg)
	if err != nil {
		return nil, "", err
	}
	select {
	case <-e.Server.ReadyNotify():
		return e, clientURL.String(), nil
	case <-time.After(60 * time.Second):
		e.Close()
		return nil, "", fmt.Errorf("not ready after 60s")
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func writeServiceAccountKey(path string) error {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return err
	}
	block := &pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}
	return os.WriteFile(path, pem.EncodeToMemory(block), 0o600)
}

// startEgress routes every connection the apiserver opens into the "cluster"
// and to the "controlplane" (URL webhooks, aggregated APIs) through a local
// HTTP CONNECT proxy that answers in-process and dials nothing, so no packet ever leaves the machine for
// a scenario's made-up pod addresses. Kubelet connections are answered by a
// stand-in kubelet that serves container logs a scenario provides. Webhook calls reach a Service's endpoint only
// when the scenario marks one ready, and are then answered in-process by a
// stand-in webhook server that admits every request, as a healthy KServe or
// Kyverno would for a valid object. Its CA is written to DIR/webhook-ca.pem
// for the scenario loader to inject as caBundle, as cert-manager's cainjector
// does on real clusters.
func startEgress(dir string) (string, error) {
	responder, err := newWebhookResponder(filepath.Join(dir, "webhook-ca.pem"))
	if err != nil {
		return "", err
	}
	responder.logsDir = filepath.Join(dir, "logs")
	sock := filepath.Join(dir, "egress.sock")
	// A socket file left by a process that did not exit cleanly would make
	// the bind fail with "address already in use".
	if err := os.Remove(sock); err != nil && !os.IsNotExist(err) {
		return "", err
	}
	l, err := net.Listen("unix", sock)
	if err != nil {
		return "", err
	}
	go func() {
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			go responder.handle(conn)
		}
	}()
	cfg := fmt.Sprintf(`apiVersion: apiserver.k8s.io/v1beta1
kind: EgressSelectorConfiguration
egressSelections:
- name: cluster
  connection:
    proxyProtocol: HTTPConnect
    transport:
      uds:
        udsName: %s
- name: controlplane
  connection:
    proxyProtocol: HTTPConnect
    transport:
      uds:
        udsName: %s
`, sock, sock)
	path := filepath.Join(dir, "egress-selector.yaml")
	return path, os.WriteFile(path, []byte(cfg), 0o600)
}

// kubeletPort is where the apiserver dials nodes for logs and exec.
const kubeletPort = "10250"

type webhookResponder struct {
	logsDir string
	ca      *x509.Certificate
	caKey   *ecdsa.PrivateKey
	mu      sync.Mutex
	certs   map[string]*tls.Certificate
}

func newWebhookResponder(caFile string) (*webhookResponder, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "testenv webhook CA"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(365 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	ca, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	if err := os.WriteFile(caFile, pemBytes, 0o644); err != nil {
		return nil, err
	}
	return &webhookResponder{ca: ca, caKey: key, certs: map[string]*tls.Certificate{}}, nil
}

// certFor issues a serving certificate for the name the apiserver verifies
// (<service>.<namespace>.svc), once per name.
func (w *webhookResponder) certFor(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
	name := hello.ServerName
	if name == "" {
		name = "webhook.testenv.svc"
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if c, ok := w.certs[name]; ok {
		return c, nil
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	serial, _ := rand.Int(rand.Reader, big.NewInt(1<<62))
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: name},
		DNSNames:     []string{name},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(365 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, w.ca, &key.PublicKey, w.caKey)
	if err != nil {
		return nil, err
	}
	c := &tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
	w.certs[name] = c
	return c, nil
}

func (w *webhookResponder) handle(conn net.Conn) {
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(30 * time.Second))
	br := bufio.NewReader(conn)
	req, err := http.ReadRequest(br)
	if err != nil {
		return
	}
	_, port, _ := net.SplitHostPort(req.Host)
	if req.Method != http.MethodConnect {
		fmt.Fprintf(conn, "HTTP/1.1 503 connect %s: connection refused (testenv has no pod network)\r\nContent-Length: 0\r\n\r\n", req.Host)
		return
	}
	if _, err := io.WriteString(conn, "HTTP/1.1 200 Connection established\r\n\r\n"); err != nil {
		return
	}
	tlsConn := tls.Server(&bufferedConn{Conn: conn, r: br}, &tls.Config{
		GetCertificate: w.certFor,
		NextProtos:     []string{"http/1.1"},
		MinVersion:     tls.VersionTLS12,
	})
	handler := http.HandlerFunc(admitAll)
	if port == kubeletPort {
		handler = w.containerLogs
	}
	_ = http.Serve(&oneConnListener{conn: tlsConn}, handler)
}

// containerLogs is a stand-in kubelet for the one read the plugin makes
// through the API server: GET /containerLogs/<namespace>/<pod>/<container>
// with tailLines and limitBytes, answered from DIR/logs/<namespace>/<pod>/
// <container>.log, which the scenario loader copies from a scenario's logs/.
// A container without such a file answers 404, as a kubelet does for a
// container it does not run.
func (w *webhookResponder) containerLogs(rw http.ResponseWriter, r *http.Request) {
	parts := strings.Split(strings.TrimPrefix(r.URL.Path, "/"), "/")
	if r.Method != http.MethodGet || len(parts) != 4 || parts[0] != "containerLogs" {
		http.Error(rw, "testenv kubelet: only container logs are served", http.StatusNotFound)
		return
	}
	for _, p := range parts[1:] {
		if p == "" || p == "." || p == ".." || strings.ContainsAny(p, "/\\") {
			http.Error(rw, "testenv kubelet: bad path", http.StatusBadRequest)
			return
		}
	}
	data, err := os.ReadFile(filepath.Join(w.logsDir, parts[1], parts[2], parts[3]+".log"))
	if err != nil {
		http.Error(rw, fmt.Sprintf("container %q in pod %q is not available", parts[3], parts[2]), http.StatusNotFound)
		return
	}
	if n, err := strconv.Atoi(r.URL.Query().Get("tailLines")); err == nil && n >= 0 {
		lines := strings.SplitAfter(string(data), "\n")
		if len(lines) > 0 && lines[len(lines)-1] == "" {
			lines = lines[:len(lines)-1]
		}
		if len(lines) > n {
			lines = lines[len(lines)-n:]
		}
		data = []byte(strings.Join(lines, ""))
	}
	if n, err := strconv.Atoi(r.URL.Query().Get("limitBytes")); err == nil && n >= 0 && len(data) > n {
		data = data[:n]
	}
	rw.Header().Set("Content-Type", "text/plain")
	_, _ = rw.Write(data)
}

// admitAll answers an AdmissionReview with allowed: true and no patch.
func admitAll(rw http.ResponseWriter, r *http.Request) {
	var review struct {
		APIVersion string `json:"apiVersion"`
		Request    *struct {
			UID string `json:"uid"`
		} `json:"request"`
	}
	if err := json.NewDecoder(r.Body).Decode(&review); err != nil || review.Request == nil {
		http.Error(rw, "testenv webhook: not an AdmissionReview", http.StatusBadRequest)
		return
	}
	rw.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(rw).Encode(map[string]any{
		"apiVersion": review.APIVersion,
		"kind":       "AdmissionReview",
		"response":   map[string]any{"uid": review.Request.UID, "allowed": true},
	})
}

type bufferedConn struct {
	net.Conn
	r *bufio.Reader
}

func (c *bufferedConn) Read(p []byte) (int, error) { return c.r.Read(p) }

// oneConnListener serves exactly one connection, then reports closed once it ends.
type oneConnListener struct {
	conn net.Conn
	once sync.Once
	done chan struct{}
	mu   sync.Mutex
}

func (l *oneConnListener) Accept() (net.Conn, error) {
	l.mu.Lock()
	if l.done == nil {
		l.done = make(chan struct{})
	}
	done := l.done
	l.mu.Unlock()
	var c net.Conn
	l.once.Do(func() { c = &closeNotifyConn{Conn: l.conn, onClose: func() { close(done) }} })
	if c != nil {
		return c, nil
	}
	<-done
	return nil, net.ErrClosed
}

func (l *oneConnListener) Close() error   { return nil }
func (l *oneConnListener) Addr() net.Addr { return l.conn.LocalAddr() }

type closeNotifyConn struct {
	net.Conn
	once    sync.Once
	onClose func()
}

func (c *closeNotifyConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.onClose)
	return err
}
