#!/usr/bin/env bash
# Bring your own key material (wrapped with OpenSSL, as AWS's documentation tells users) and multi-Region keys
# (replicate, decrypt across regions, update the primary), with the real AWS CLI against a real server.
source "$(dirname "$0")/lib.sh"

echo "# AWS CLI: imported key material and multi-Region keys"
start_server
use_current_kms_model

# The same server answers every region; the region of a call comes from its signature.
kms_in() { local region=$1; shift; "$AWS_CLI" --endpoint-url "$ENDPOINT" --region "$region" kms "$@"; }
key_state() { kms_in "$1" describe-key --key-id "$2" --query KeyMetadata.KeyState --output text; }
sha() { sha256sum <"$1" | cut -d' ' -f1; }

# get_import_parameters REGION KEY WRAPPING_ALGORITHM WRAPPING_KEY_SPEC NAME: writes NAME.token and NAME.wrapping.der.
get_import_parameters() {
  local token public
  read -r token public < <(kms_in "$1" get-parameters-for-import --key-id "$2" --wrapping-algorithm "$3" \
    --wrapping-key-spec "$4" --query '[ImportToken,PublicKey]' --output text)
  echo "$token" | base64 -d >"$WORK_DIR/$5.token"
  echo "$public" | base64 -d >"$WORK_DIR/$5.wrapping.der"
}

# RSAES_OAEP_SHA_256: RSA-OAEP (SHA-256, MGF1-SHA-256) of the material itself.
oaep_sha256() {
  openssl pkeyutl -encrypt -in "$1" -out "$3" -inkey "$2" -keyform DER -pubin \
    -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256 -pkeyopt rsa_mgf1_md:sha256
}

# RSA_AES_KEY_WRAP_SHA_256: OAEP of a fresh AES-256 key, followed by the material wrapped with it (RFC 5649).
rsa_aes_key_wrap_sha256() {
  local aes="$WORK_DIR/ephemeral-aes.bin"
  openssl rand -out "$aes" 32
  openssl enc -id-aes256-wrap-pad -K "$(xxd -p -c 256 "$aes")" -iv A65959A6 -in "$1" -out "$3.material"
  oaep_sha256 "$aes" "$2" "$3.aes"
  cat "$3.aes" "$3.material" >"$3"
  rm -f "$aes" "$3.aes" "$3.material"
}

# import_material REGION KEY NAME: imports NAME.wrapped with NAME.token, material that does not expire; prints KeyMaterialId.
import_material() {
  kms_in "$1" import-key-material --key-id "$2" --import-token "fileb://$WORK_DIR/$3.token" \
    --encrypted-key-material "fileb://$WORK_DIR/$3.wrapped" --expiration-model KEY_MATERIAL_DOES_NOT_EXPIRE \
    --query KeyMaterialId --output text
}
import_material_error() {
  error_code --region "$1" kms import-key-material --key-id "$2" --import-token "fileb://$WORK_DIR/$3.token" \
    --encrypted-key-material "fileb://$WORK_DIR/$3.wrapped" --expiration-model KEY_MATERIAL_DOES_NOT_EXPIRE
}

# encrypt_to REGION KEY FILE; decrypt_from REGION FILE [--key-id ID] prints the plaintext's SHA-256.
encrypt_to() {
  kms_in "$1" encrypt --key-id "$2" --plaintext "fileb://$WORK_DIR/message.txt" --query CiphertextBlob --output text \
    | base64 -d >"$WORK_DIR/$3"
}
decrypt_from() {
  local region=$1 file=$2; shift 2
  kms_in "$region" decrypt --ciphertext-blob "fileb://$WORK_DIR/$file" "$@" --query Plaintext --output text \
    | base64 -d | sha256sum | cut -d' ' -f1
}

# A private key of an openssl genpkey algorithm as PKCS#8 DER (genpkey's DER output is not PKCS#8 for EC keys).
pkcs8_der() {
  local out=$1; shift
  openssl genpkey "$@" 2>/dev/null | openssl pkcs8 -topk8 -nocrypt -outform DER -out "$out"
}

printf 'the quarterly numbers, encrypted under our own key material\n' >"$WORK_DIR/message.txt"
message_sha=$(sha "$WORK_DIR/message.txt")
account=$("$AWS_CLI" --endpoint-url "$ENDPOINT" sts get-caller-identity --query Account --output text)

echo "# 1. Import symmetric key material, as AWS documents"
byok=$(kms_in us-east-1 create-key --origin EXTERNAL --description "imported" --query KeyMetadata.KeyId --output text)
check "create-key --origin EXTERNAL is PendingImport and not enabled" "PendingImport	False	EXTERNAL" \
  "$(kms_in us-east-1 describe-key --key-id "$byok" --query 'KeyMetadata.[KeyState,Enabled,Origin]' --output text)"
check "encrypt with a key pending import is KMSInvalidStateException" KMSInvalidStateException \
  "$(error_code --region us-east-1 kms encrypt --key-id "$byok" --plaintext "fileb://$WORK_DIR/message.txt")"
get_import_parameters us-east-1 "$byok" RSAES_OAEP_SHA_256 RSA_4096 byok
check "get-parameters-for-import returns an RSA 4096 wrapping key" "Public-Key: (4096 bit)" \
  "$(openssl pkey -pubin -inform DER -in "$WORK_DIR/byok.wrapping.der" -noout -text_pub 2>/dev/null | head -n 1 | sed 's/^ *//')"
openssl rand -out "$WORK_DIR/byok.material" 32
oaep_sha256 "$WORK_DIR/byok.material" "$WORK_DIR/byok.wrapping.der" "$WORK_DIR/byok.wrapped"
byok_material_id=$(import_material us-east-1 "$byok" byok)
check "import-key-material returns a 64-hex KeyMaterialId" 1 "$(echo "$byok_material_id" | grep -cE '^[0-9a-f]{64}$')"
check "the key is Enabled and its material does not expire" "Enabled	KEY_MATERIAL_DOES_NOT_EXPIRE" \
  "$(kms_in us-east-1 describe-key --key-id "$byok" --query 'KeyMetadata.[KeyState,ExpirationModel]' --output text)"
encrypt_to us-east-1 "$byok" byok.enc
check "encrypt/decrypt round trip with imported material" "$message_sha" "$(decrypt_from us-east-1 byok.enc)"

kms_in us-east-1 delete-imported-key-material --key-id "$byok" >/dev/null
check "delete-imported-key-material → PendingImport" PendingImport "$(key_state us-east-1 "$byok")"
check "decrypt after the material is deleted is KMSInvalidStateException" KMSInvalidStateException \
  "$(error_code --region us-east-1 kms decrypt --ciphertext-blob "fileb://$WORK_DIR/byok.enc")"
get_import_parameters us-east-1 "$byok" RSAES_OAEP_SHA_256 RSA_4096 byok
oaep_sha256 "$WORK_DIR/byok.material" "$WORK_DIR/byok.wrapping.der" "$WORK_DIR/byok.wrapped"
check "re-importing the same material gives the same KeyMaterialId" "${byok_material_id:-(none from the first import)}" "$(import_material us-east-1 "$byok" byok)"
check "the old ciphertext decrypts again" "$message_sha" "$(decrypt_from us-east-1 byok.enc)"
openssl rand -out "$WORK_DIR/other.material" 32
oaep_sha256 "$WORK_DIR/other.material" "$WORK_DIR/byok.wrapping.der" "$WORK_DIR/byok.wrapped"
check "importing different material is IncorrectKeyMaterialException" IncorrectKeyMaterialException \
  "$(import_material_error us-east-1 "$byok" byok)"

echo "# 2. HMAC with known imported bytes"
hmac_hex=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
echo "$hmac_hex" | xxd -r -p >"$WORK_DIR/hmac.material"
hmac_key=$(kms_in us-east-1 create-key --origin EXTERNAL --key-spec HMAC_256 --key-usage GENERATE_VERIFY_MAC \
  --query KeyMetadata.KeyId --output text)
get_import_parameters us-east-1 "$hmac_key" RSAES_OAEP_SHA_256 RSA_2048 hmac
oaep_sha256 "$WORK_DIR/hmac.material" "$WORK_DIR/hmac.wrapping.der" "$WORK_DIR/hmac.wrapped"
import_material us-east-1 "$hmac_key" hmac >/dev/null
check "the imported HMAC key is Enabled" Enabled "$(key_state us-east-1 "$hmac_key")"
expected_mac=$(openssl dgst -sha256 -mac HMAC -macopt "hexkey:$hmac_hex" -binary "$WORK_DIR/message.txt" | xxd -p -c 256)
check "generate-mac equals openssl's HMAC-SHA256 with the imported bytes" "${expected_mac:-(openssl failed)}" \
  "$(kms_in us-east-1 generate-mac --key-id "$hmac_key" --message "fileb://$WORK_DIR/message.txt" --mac-algorithm HMAC_SHA_256 \
      --query Mac --output text | base64 -d | xxd -p -c 256)"
openssl dgst -sha256 -mac HMAC -macopt "hexkey:$hmac_hex" -binary -out "$WORK_DIR/openssl.mac" "$WORK_DIR/message.txt"
check "verify-mac accepts the MAC openssl computed" True \
  "$(kms_in us-east-1 verify-mac --key-id "$hmac_key" --message "fileb://$WORK_DIR/message.txt" --mac-algorithm HMAC_SHA_256 \
      --mac "fileb://$WORK_DIR/openssl.mac" --query MacValid --output text)"

echo "# 3. Asymmetric private keys imported with RSA_AES_KEY_WRAP_SHA_256"
pkcs8_der "$WORK_DIR/ecc.material" -algorithm EC -pkeyopt ec_paramgen_curve:P-256
openssl pkey -inform DER -in "$WORK_DIR/ecc.material" -pubout -outform DER -out "$WORK_DIR/ecc.public.der"
openssl pkey -pubin -inform DER -in "$WORK_DIR/ecc.public.der" -out "$WORK_DIR/ecc.public.pem"
ecc_key=$(kms_in us-east-1 create-key --origin EXTERNAL --key-spec ECC_NIST_P256 --key-usage SIGN_VERIFY \
  --query KeyMetadata.KeyId --output text)
get_import_parameters us-east-1 "$ecc_key" RSA_AES_KEY_WRAP_SHA_256 RSA_3072 ecc
rsa_aes_key_wrap_sha256 "$WORK_DIR/ecc.material" "$WORK_DIR/ecc.wrapping.der" "$WORK_DIR/ecc.wrapped"
import_material us-east-1 "$ecc_key" ecc >/dev/null
check "the imported ECC_NIST_P256 key is Enabled" Enabled "$(key_state us-east-1 "$ecc_key")"
check "get-public-key equals the public key openssl derives" "$(sha "$WORK_DIR/ecc.public.der")" \
  "$(kms_in us-east-1 get-public-key --key-id "$ecc_key" --query PublicKey --output text | base64 -d | sha256sum | cut -d' ' -f1)"
kms_in us-east-1 sign --key-id "$ecc_key" --message "fileb://$WORK_DIR/message.txt" --message-type RAW \
  --signing-algorithm ECDSA_SHA_256 --query Signature --output text | base64 -d >"$WORK_DIR/ecc.sig"
check "openssl verifies the ECDSA signature with the locally derived public key" "Verified OK" \
  "$(openssl dgst -sha256 -verify "$WORK_DIR/ecc.public.pem" -signature "$WORK_DIR/ecc.sig" "$WORK_DIR/message.txt")"
openssl dgst -sha256 -sign "$WORK_DIR/ecc.material" -keyform DER -out "$WORK_DIR/ecc.openssl.sig" "$WORK_DIR/message.txt"
check "verify accepts a signature openssl made with the imported private key" True \
  "$(kms_in us-east-1 verify --key-id "$ecc_key" --message "fileb://$WORK_DIR/message.txt" --message-type RAW \
      --signing-algorithm ECDSA_SHA_256 --signature "fileb://$WORK_DIR/ecc.openssl.sig" --query SignatureValid --output text)"

pkcs8_der "$WORK_DIR/rsa.material" -algorithm RSA -pkeyopt rsa_keygen_bits:2048
openssl pkey -inform DER -in "$WORK_DIR/rsa.material" -pubout -outform DER -out "$WORK_DIR/rsa.public.der"
openssl pkey -pubin -inform DER -in "$WORK_DIR/rsa.public.der" -out "$WORK_DIR/rsa.public.pem"
rsa_key=$(kms_in us-east-1 create-key --origin EXTERNAL --key-spec RSA_2048 --key-usage SIGN_VERIFY \
  --query KeyMetadata.KeyId --output text)
get_import_parameters us-east-1 "$rsa_key" RSA_AES_KEY_WRAP_SHA_256 RSA_4096 rsa
rsa_aes_key_wrap_sha256 "$WORK_DIR/rsa.material" "$WORK_DIR/rsa.wrapping.der" "$WORK_DIR/rsa.wrapped"
import_material us-east-1 "$rsa_key" rsa >/dev/null
check "the imported RSA_2048 key's public key equals openssl's" "$(sha "$WORK_DIR/rsa.public.der")" \
  "$(kms_in us-east-1 get-public-key --key-id "$rsa_key" --query PublicKey --output text | base64 -d | sha256sum | cut -d' ' -f1)"
kms_in us-east-1 sign --key-id "$rsa_key" --message "fileb://$WORK_DIR/message.txt" --message-type RAW \
  --signing-algorithm RSASSA_PKCS1_V1_5_SHA_256 --query Signature --output text | base64 -d >"$WORK_DIR/rsa.sig"
check "openssl verifies the RSASSA_PKCS1_V1_5_SHA_256 signature" "Verified OK" \
  "$(openssl dgst -sha256 -verify "$WORK_DIR/rsa.public.pem" -signature "$WORK_DIR/rsa.sig" "$WORK_DIR/message.txt")"

echo "# 4. Multi-Region keys"
read -r mrk primary_arn < <(kms_in us-east-1 create-key --multi-region --description "east" \
  --tags TagKey=site,TagValue=east --query 'KeyMetadata.[KeyId,Arn]' --output text)
check "a multi-Region key id is mrk- and 32 hex digits" 1 "$(echo "$mrk" | grep -cE '^mrk-[0-9a-f]{32}$')"
check "describe-key shows a PRIMARY with no replicas" "True	PRIMARY	0" \
  "$(kms_in us-east-1 describe-key --key-id "$mrk" \
      --query 'KeyMetadata.[MultiRegion,MultiRegionConfiguration.MultiRegionKeyType,length(MultiRegionConfiguration.ReplicaKeys)]' --output text)"
check "replicate-key creates the replica's ARN in eu-west-1" "arn:aws:kms:eu-west-1:$account:key/$mrk" \
  "$(kms_in us-east-1 replicate-key --key-id "$mrk" --replica-region eu-west-1 --description "west" \
      --tags TagKey=site,TagValue=west --query ReplicaKeyMetadata.Arn --output text)"
check "describe-key in eu-west-1 shows a REPLICA of the primary" "REPLICA	$primary_arn	Enabled" \
  "$(kms_in eu-west-1 describe-key --key-id "$mrk" \
      --query 'KeyMetadata.[MultiRegionConfiguration.MultiRegionKeyType,MultiRegionConfiguration.PrimaryKey.Arn,KeyState]' --output text)"
check "the primary lists the replica" eu-west-1 \
  "$(kms_in us-east-1 describe-key --key-id "$mrk" --query 'KeyMetadata.MultiRegionConfiguration.ReplicaKeys[0].Region' --output text)"
encrypt_to us-east-1 "$mrk" mrk-east.enc
check "a us-east-1 ciphertext decrypts in eu-west-1" "$message_sha" "$(decrypt_from eu-west-1 mrk-east.enc)"
encrypt_to eu-west-1 "$mrk" mrk-west.enc
check "a eu-west-1 ciphertext decrypts in us-east-1 (--key-id the primary's ARN)" "$message_sha" \
  "$(decrypt_from us-east-1 mrk-west.enc --key-id "$primary_arn")"

kms_in us-east-1 rotate-key-on-demand --key-id "$mrk" >/dev/null
encrypt_to us-east-1 "$mrk" mrk-rotated.enc
check "after rotating the primary, its new ciphertext decrypts in the replica's region" "$message_sha" \
  "$(decrypt_from eu-west-1 mrk-rotated.enc)"
check "rotate-key-on-demand on the replica is UnsupportedOperationException" UnsupportedOperationException \
  "$(error_code --region eu-west-1 kms rotate-key-on-demand --key-id "$mrk")"
kms_in eu-west-1 update-key-description --key-id "$mrk" --description "west, renamed"
check "descriptions stay independent" "east|west, renamed" \
  "$(kms_in us-east-1 describe-key --key-id "$mrk" --query KeyMetadata.Description --output text)|$(kms_in eu-west-1 describe-key --key-id "$mrk" --query KeyMetadata.Description --output text)"
check "tags stay independent" "east|west" \
  "$(kms_in us-east-1 list-resource-tags --key-id "$mrk" --query "Tags[?TagKey=='site'].TagValue" --output text)|$(kms_in eu-west-1 list-resource-tags --key-id "$mrk" --query "Tags[?TagKey=='site'].TagValue" --output text)"

kms_in us-east-1 update-primary-region --key-id "$mrk" --primary-region eu-west-1
mrk_roles() {
  kms_in "$1" describe-key --key-id "$mrk" \
    --query 'KeyMetadata.[MultiRegionConfiguration.MultiRegionKeyType,MultiRegionConfiguration.PrimaryKey.Region]' --output text
}
check "after update-primary-region, eu-west-1 is the PRIMARY" "PRIMARY	eu-west-1" "$(mrk_roles eu-west-1)"
check "and us-east-1 is a REPLICA naming eu-west-1 as primary" "REPLICA	eu-west-1" "$(mrk_roles us-east-1)"
check "replicating the replica in us-east-1 is UnsupportedOperationException" UnsupportedOperationException \
  "$(error_code --region us-east-1 kms replicate-key --key-id "$mrk" --replica-region ap-southeast-2)"
check "replicating into a region that has the key is AlreadyExistsException" AlreadyExistsException \
  "$(error_code --region eu-west-1 kms replicate-key --key-id "$mrk" --replica-region us-east-1)"

echo "# 5. Imported material in a multi-Region key"
mrk_byok=$(kms_in us-east-1 create-key --origin EXTERNAL --multi-region --query KeyMetadata.KeyId --output text)
openssl rand -out "$WORK_DIR/mrk.material" 32
get_import_parameters us-east-1 "$mrk_byok" RSAES_OAEP_SHA_256 RSA_2048 mrk-east
oaep_sha256 "$WORK_DIR/mrk.material" "$WORK_DIR/mrk-east.wrapping.der" "$WORK_DIR/mrk-east.wrapped"
east_material_id=$(import_material us-east-1 "$mrk_byok" mrk-east)
check "the EXTERNAL multi-Region primary is Enabled after import" Enabled "$(key_state us-east-1 "$mrk_byok")"
check "its replica is PendingImport" PendingImport \
  "$(kms_in us-east-1 replicate-key --key-id "$mrk_byok" --replica-region eu-west-1 --query ReplicaKeyMetadata.KeyState --output text)"
encrypt_to us-east-1 "$mrk_byok" mrk-byok-east.enc
check "the replica refuses to decrypt before its import (KMSInvalidStateException)" KMSInvalidStateException \
  "$(error_code --region eu-west-1 kms decrypt --ciphertext-blob "fileb://$WORK_DIR/mrk-byok-east.enc")"
get_import_parameters eu-west-1 "$mrk_byok" RSAES_OAEP_SHA_256 RSA_2048 mrk-west
oaep_sha256 "$WORK_DIR/other.material" "$WORK_DIR/mrk-west.wrapping.der" "$WORK_DIR/mrk-west.wrapped"
check "importing other material into the replica is IncorrectKeyMaterialException" IncorrectKeyMaterialException \
  "$(import_material_error eu-west-1 "$mrk_byok" mrk-west)"
oaep_sha256 "$WORK_DIR/mrk.material" "$WORK_DIR/mrk-west.wrapping.der" "$WORK_DIR/mrk-west.wrapped"
check "the replica's import of the same material gives the primary's KeyMaterialId" "${east_material_id:-(none from the primary)}" \
  "$(import_material eu-west-1 "$mrk_byok" mrk-west)"
check "the replica is Enabled" Enabled "$(key_state eu-west-1 "$mrk_byok")"
check "the us-east-1 ciphertext decrypts in eu-west-1" "$message_sha" "$(decrypt_from eu-west-1 mrk-byok-east.enc)"
encrypt_to eu-west-1 "$mrk_byok" mrk-byok-west.enc
check "a eu-west-1 ciphertext decrypts in us-east-1" "$message_sha" "$(decrypt_from us-east-1 mrk-byok-west.enc)"

stop_server
finish
