package attest_test

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/hex"
	"encoding/json"
	"math/big"
	"testing"
	"time"

	"github.com/digitorus/timestamp"
	"github.com/sigstore/sigstore-go/pkg/root"
)

// standIn is an in-process stand-in for the sigstore services that are not
// reachable offline: a Rekor v1 log key (signed entry timestamps), a
// timestamp authority (RFC 3161) and a Fulcio CA (short-lived code-signing
// certificates with the OIDC issuer extension). It is the trust root of the
// tests that use it. (sigstore-go's own pkg/testing/ca does the same, but
// it pulls in a module this one does not require.)
type standIn struct {
	root.BaseTrustedMaterial
	rekorKey  *ecdsa.PrivateKey
	logID     string
	fulcio    *root.FulcioCertificateAuthority
	fulcioKey *ecdsa.PrivateKey
	tsa       *root.SigstoreTimestampingAuthority
	tsaKey    *ecdsa.PrivateKey
}

var (
	oidOIDCIssuer        = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 57264, 1, 1}
	oidExtKeyUsage       = asn1.ObjectIdentifier{2, 5, 29, 37}
	oidTimestampingUsage = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 8}
)

func newStandIn(t testing.TB) *standIn {
	t.Helper()
	key := func() *ecdsa.PrivateKey {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	cert := func(tmpl, parent *x509.Certificate, pub crypto.PublicKey, signer crypto.Signer) *x509.Certificate {
		der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, signer)
		if err != nil {
			t.Fatal(err)
		}
		c, err := x509.ParseCertificate(der)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	now := time.Now()
	s := &standIn{rekorKey: key(), fulcioKey: key(), tsaKey: key()}
	der, err := x509.MarshalPKIXPublicKey(s.rekorKey.Public())
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(der)
	s.logID = hex.EncodeToString(sum[:])

	rootKey, tsaInterKey := key(), key()
	rootTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "stand-in root"},
		NotBefore: now.Add(-5 * time.Hour), NotAfter: now.Add(5 * time.Hour),
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign, BasicConstraintsValid: true, IsCA: true}
	rootCert := cert(rootTmpl, rootTmpl, rootKey.Public(), rootKey)
	fulcioInter := cert(&x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "stand-in fulcio"},
		NotBefore: now.Add(-2 * time.Minute), NotAfter: now.Add(2 * time.Hour),
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageCodeSigning},
		BasicConstraintsValid: true, IsCA: true}, rootCert, s.fulcioKey.Public(), rootKey)
	tsaInter := cert(&x509.Certificate{SerialNumber: big.NewInt(3), Subject: pkix.Name{CommonName: "stand-in tsa intermediate"},
		NotBefore: now.Add(-2 * time.Minute), NotAfter: now.Add(2 * time.Hour),
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageTimeStamping},
		BasicConstraintsValid: true, IsCA: true}, rootCert, tsaInterKey.Public(), rootKey)
	eku, err := asn1.Marshal([]asn1.ObjectIdentifier{oidTimestampingUsage})
	if err != nil {
		t.Fatal(err)
	}
	tsaLeaf := cert(&x509.Certificate{SerialNumber: big.NewInt(4), Subject: pkix.Name{CommonName: "stand-in tsa"},
		NotBefore: now.Add(-5 * time.Minute), NotAfter: now.Add(time.Hour), KeyUsage: x509.KeyUsageDigitalSignature,
		ExtraExtensions: []pkix.Extension{{Id: oidExtKeyUsage, Critical: true, Value: eku}}}, tsaInter, s.tsaKey.Public(), tsaInterKey)

	s.fulcio = &root.FulcioCertificateAuthority{Root: rootCert, Intermediates: []*x509.Certificate{fulcioInter},
		ValidityPeriodStart: now.Add(-5 * time.Hour), ValidityPeriodEnd: now.Add(time.Hour), URI: "https://fulcio.stand-in.test"}
	s.tsa = &root.SigstoreTimestampingAuthority{Root: rootCert, Intermediates: []*x509.Certificate{tsaInter}, Leaf: tsaLeaf,
		ValidityPeriodStart: now.Add(-5 * time.Hour), ValidityPeriodEnd: now.Add(time.Hour), URI: "https://tsa.stand-in.test"}
	return s
}

// RekorLogs implements root.TrustedMaterial.
func (s *standIn) RekorLogs() map[string]*root.TransparencyLog {
	return map[string]*root.TransparencyLog{s.logID: {
		BaseURL: "https://rekor.stand-in.test", ID: []byte(s.logID),
		ValidityPeriodStart: time.Now().Add(-time.Hour), ValidityPeriodEnd: time.Now().Add(time.Hour),
		HashFunc: crypto.SHA256, PublicKey: s.rekorKey.Public(), SignatureHashFunc: crypto.SHA256,
	}}
}

// FulcioCertificateAuthorities implements root.TrustedMaterial.
func (s *standIn) FulcioCertificateAuthorities() []root.CertificateAuthority {
	return []root.CertificateAuthority{s.fulcio}
}

// TimestampingAuthorities implements root.TrustedMaterial.
func (s *standIn) TimestampingAuthorities() []root.TimestampingAuthority {
	return []root.TimestampingAuthority{s.tsa}
}

// rekorPayload is what a Rekor v1 signed entry timestamp signs, in the
// JSON form of cosign's Rekor bundle annotation.
type rekorPayload struct {
	Body           string `json:"body"`
	IntegratedTime int64  `json:"integratedTime"`
	LogIndex       int64  `json:"logIndex"`
	LogID          string `json:"logID"`
}

// signEntry returns the log's signed entry timestamp over p: ECDSA over the
// SHA-256 of its canonical JSON (sorted keys, no spaces, integer numbers).
func (s *standIn) signEntry(t testing.TB, p rekorPayload) []byte {
	t.Helper()
	canonical, err := json.Marshal(map[string]any{"body": p.Body, "integratedTime": p.IntegratedTime, "logID": p.LogID, "logIndex": p.LogIndex})
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(canonical)
	set, err := ecdsa.SignASN1(rand.Reader, s.rekorKey, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	return set
}

// timestampResponse returns an RFC 3161 timestamp response over sig.
func (s *standIn) timestampResponse(t testing.TB, sig []byte) []byte {
	t.Helper()
	tsq, err := timestamp.CreateRequest(bytes.NewReader(sig), &timestamp.RequestOptions{Hash: crypto.SHA256})
	if err != nil {
		t.Fatal(err)
	}
	req, err := timestamp.ParseRequest(tsq)
	if err != nil {
		t.Fatal(err)
	}
	ts := timestamp.Timestamp{HashAlgorithm: req.HashAlgorithm, HashedMessage: req.HashedMessage, Time: time.Now(),
		Policy: asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 57264, 2}, ExtraExtensions: req.Extensions}
	resp, err := ts.CreateResponseWithOpts(s.tsa.Leaf, s.tsaKey, crypto.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// leafCert issues a ten-minute code-signing certificate for an email
// identity on a token from issuer.
func (s *standIn) leafCert(t testing.TB, identity, issuer string) (*x509.Certificate, *ecdsa.PrivateKey) {
	t.Helper()
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(5), EmailAddresses: []string{identity},
		NotBefore: time.Now(), NotAfter: time.Now().Add(10 * time.Minute),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageCodeSigning},
		ExtraExtensions: []pkix.Extension{{Id: oidOIDCIssuer, Value: []byte(issuer)}}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, s.fulcio.Intermediates[0], priv.Public(), s.fulcioKey)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c, priv
}

var _ root.TrustedMaterial = (*standIn)(nil)
