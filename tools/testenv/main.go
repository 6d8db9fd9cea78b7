// Command testenv-apiserver runs a real kube-apiserver backed by an embedded
// etcd in one process: the project's envtest. The TypeScript side
// (src/testenv.ts) chooses the port, writes the token file and kubeconfig,
// and stops the process with SIGTERM.
package main

import (
	"bufio"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
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
	egressFile, err := startEgressRefuser(dir)
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

// startEgressRefuser routes every connection the apiserver would open into the
// "cluster" (webhook calls to pod IPs) through a local HTTP CONNECT proxy that
// refuses them. There is no pod network here, and no packet may leave the
// machine for a scenario's made-up pod addresses.
func startEgressRefuser(dir string) (string, error) {
	sock := filepath.Join(dir, "egress.sock")
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
			go refuse(conn)
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
`, sock)
	path := filepath.Join(dir, "egress-selector.yaml")
	return path, os.WriteFile(path, []byte(cfg), 0o600)
}

func refuse(conn net.Conn) {
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	req, err := http.ReadRequest(bufio.NewReader(conn))
	target := "?"
	if err == nil {
		target = req.Host
	}
	fmt.Fprintf(conn, "HTTP/1.1 503 connect %s: connection refused (testenv has no pod network)\r\nContent-Length: 0\r\n\r\n", target)
}
