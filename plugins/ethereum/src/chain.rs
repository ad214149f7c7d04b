//! [`LocalChain`]: the Ethereum state a contract run by `wedge` sees, kept in a JSON file.
//!
//! ```json
//! {
//!   "accounts": {
//!     "0x00000000000000000000000000000000000000c0": {
//!       "balance": "0x3e8",
//!       "code": "0x0061736d...",
//!       "storage": { "0x00...00": "0x00...03e8" }
//!     }
//!   },
//!   "block": { "number": 42, "timestamp": 1700000000, "gasLimit": 30000000,
//!              "coinbase": "0x...", "difficulty": "0x0", "chainId": "0x1",
//!              "gasPrice": "0x0", "origin": "0x...", "hashes": { "41": "0x..." } }
//! }
//! ```
//!
//! Every field may be left out (zero, empty). Numbers are hex strings of up to 256 bits
//! (`"0x1"`) or decimal strings; addresses, keys and values are hex, left-padded with zeros.
//! After a run that succeeded the file is written back with the new storage and balances; a
//! revert or failure leaves it as it was.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};
use wedge_eei::{Address, Bytes32, CallKind, CallResult, Host, Message, Status, TxContext};

/// One account.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Account {
    /// Balance, big-endian.
    pub balance: Bytes32,
    /// Code (deployed contracts are not run: see [`LocalChain::call`]).
    pub code: Vec<u8>,
    /// Storage; zero values are not kept.
    pub storage: BTreeMap<Bytes32, Bytes32>,
}

/// The accounts, block and logs of a run, and the file they came from.
#[derive(Clone, Debug, Default)]
pub struct LocalChain {
    /// The file to write back to (`None`: nothing is kept).
    pub path: Option<PathBuf>,
    /// Every account the state names or the run touched.
    pub accounts: BTreeMap<Address, Account>,
    /// The block and transaction.
    pub tx: TxContext,
    /// Known block hashes.
    pub block_hashes: BTreeMap<i64, Bytes32>,
    /// What the run logged, in order: address, topics, data.
    pub logs: Vec<(Address, Vec<Bytes32>, Vec<u8>)>,
}

/// Parses hex (`0x...`, left-padded) or decimal text into `N` big-endian bytes.
pub fn parse_bytes<const N: usize>(text: &str) -> Result<[u8; N], String> {
    let mut out = [0u8; N];
    if let Some(hex) = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        if hex.len() > 2 * N {
            return Err(format!("{text}: longer than {N} bytes"));
        }
        let padded = format!("{hex:0>width$}", width = 2 * N);
        for (i, byte) in out.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&padded[2 * i..2 * i + 2], 16)
                .map_err(|_| format!("{text}: not hex"))?;
        }
        return Ok(out);
    }
    // Decimal: multiply-add into the big-endian buffer.
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("{text}: neither 0x-hex nor decimal"));
    }
    for digit in text.bytes().map(|b| u32::from(b - b'0')) {
        let mut carry = digit;
        for byte in out.iter_mut().rev() {
            let v = u32::from(*byte) * 10 + carry;
            *byte = v as u8;
            carry = v >> 8;
        }
        if carry != 0 {
            return Err(format!("{text}: does not fit in {N} bytes"));
        }
    }
    Ok(out)
}

/// Parses a hex byte string (`0x` optional).
pub fn parse_hex(text: &str) -> Result<Vec<u8>, String> {
    let hex = text.strip_prefix("0x").unwrap_or(text);
    if !hex.len().is_multiple_of(2) {
        return Err(format!("{text}: odd number of hex digits"));
    }
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).map_err(|_| format!("{text}: not hex")))
        .collect()
}

/// `0x` and the bytes in hex.
pub fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(2 + 2 * bytes.len());
    s.push_str("0x");
    for b in bytes {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

fn field<'a>(object: &'a Value, name: &str) -> Option<&'a Value> {
    object.get(name).filter(|v| !v.is_null())
}

fn text(v: &Value, what: &str) -> Result<String, String> {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        _ => Err(format!("{what}: expected a string or a number")),
    }
}

fn int(v: Option<&Value>, what: &str) -> Result<i64, String> {
    match v {
        None => Ok(0),
        Some(v) => {
            let b = parse_bytes::<8>(&text(v, what)?).map_err(|e| format!("{what}: {e}"))?;
            Ok(i64::from_be_bytes(b))
        }
    }
}

fn bytes<const N: usize>(v: Option<&Value>, what: &str) -> Result<[u8; N], String> {
    match v {
        None => Ok([0; N]),
        Some(v) => parse_bytes(&text(v, what)?).map_err(|e| format!("{what}: {e}")),
    }
}

impl LocalChain {
    /// The state in `path`; a file that does not exist is an empty state (written after the
    /// run).
    pub fn load(path: &Path) -> Result<Self, String> {
        let mut chain = LocalChain {
            path: Some(path.to_owned()),
            ..LocalChain::default()
        };
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(chain),
            Err(e) => return Err(format!("{}: {e}", path.display())),
        };
        let root: Value =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        chain
            .read(&root)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(chain)
    }

    fn read(&mut self, root: &Value) -> Result<(), String> {
        if let Some(accounts) = field(root, "accounts") {
            let accounts = accounts.as_object().ok_or("accounts: expected an object")?;
            for (address, a) in accounts {
                let address: Address = parse_bytes(address)?;
                let mut account = Account {
                    balance: bytes(field(a, "balance"), "balance")?,
                    code: match field(a, "code") {
                        Some(c) => parse_hex(&text(c, "code")?)?,
                        None => Vec::new(),
                    },
                    storage: BTreeMap::new(),
                };
                if let Some(storage) = field(a, "storage") {
                    let storage = storage.as_object().ok_or("storage: expected an object")?;
                    for (key, value) in storage {
                        let value: Bytes32 = bytes(Some(value), "storage value")?;
                        if value != [0; 32] {
                            account.storage.insert(parse_bytes(key)?, value);
                        }
                    }
                }
                self.accounts.insert(address, account);
            }
        }
        if let Some(b) = field(root, "block") {
            self.tx = TxContext {
                gas_price: bytes(field(b, "gasPrice"), "gasPrice")?,
                origin: bytes(field(b, "origin"), "origin")?,
                coinbase: bytes(field(b, "coinbase"), "coinbase")?,
                number: int(field(b, "number"), "number")?,
                timestamp: int(field(b, "timestamp"), "timestamp")?,
                gas_limit: int(field(b, "gasLimit"), "gasLimit")?,
                difficulty: bytes(field(b, "difficulty"), "difficulty")?,
                chain_id: bytes(field(b, "chainId"), "chainId")?,
            };
            if let Some(hashes) = field(b, "hashes").and_then(Value::as_object) {
                for (number, hash) in hashes {
                    let number = number
                        .parse()
                        .map_err(|_| format!("hashes: {number} is not a block number"))?;
                    self.block_hashes
                        .insert(number, bytes(Some(hash), "block hash")?);
                }
            }
        }
        Ok(())
    }

    /// The state as JSON (what [`LocalChain::save`] writes).
    pub fn to_json(&self) -> Value {
        let mut accounts = Map::new();
        for (address, a) in &self.accounts {
            let storage: Map<String, Value> = a
                .storage
                .iter()
                .map(|(k, v)| (hex(k), Value::String(hex(v))))
                .collect();
            accounts.insert(
                hex(address),
                json!({ "balance": hex(&a.balance), "code": hex(&a.code), "storage": storage }),
            );
        }
        let hashes: Map<String, Value> = self
            .block_hashes
            .iter()
            .map(|(n, h)| (n.to_string(), Value::String(hex(h))))
            .collect();
        let t = &self.tx;
        json!({
            "accounts": accounts,
            "block": {
                "number": t.number, "timestamp": t.timestamp, "gasLimit": t.gas_limit,
                "coinbase": hex(&t.coinbase), "difficulty": hex(&t.difficulty),
                "chainId": hex(&t.chain_id), "gasPrice": hex(&t.gas_price),
                "origin": hex(&t.origin), "hashes": hashes,
            }
        })
    }

    /// Writes the state back to its file (through a temporary file and a rename, so a crash
    /// leaves the old state or the new one).
    pub fn save(&self) -> Result<(), String> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        let text = serde_json::to_string_pretty(&self.to_json()).map_err(|e| e.to_string())?;
        let tmp = path.with_extension("json.tmp");
        std::fs::write(&tmp, text + "\n")
            .and_then(|()| std::fs::rename(&tmp, path))
            .map_err(|e| format!("{}: {e}", path.display()))
    }

    fn account(&mut self, address: &Address) -> &mut Account {
        self.accounts.entry(*address).or_default()
    }
}

/// Big-endian `a - b`, or `None` if `b > a`.
fn sub(a: &Bytes32, b: &Bytes32) -> Option<Bytes32> {
    if a < b {
        return None;
    }
    let mut out = [0; 32];
    let mut borrow = 0i16;
    for i in (0..32).rev() {
        let d = i16::from(a[i]) - i16::from(b[i]) - borrow;
        borrow = i16::from(d < 0);
        out[i] = (d + 256 * borrow) as u8;
    }
    Some(out)
}

/// Big-endian `a + b`, wrapping.
fn add(a: &Bytes32, b: &Bytes32) -> Bytes32 {
    let mut out = [0; 32];
    let mut carry = 0u16;
    for i in (0..32).rev() {
        let s = u16::from(a[i]) + u16::from(b[i]) + carry;
        out[i] = s as u8;
        carry = s >> 8;
    }
    out
}

impl Host for LocalChain {
    fn account_exists(&mut self, address: &Address) -> bool {
        self.accounts.contains_key(address)
    }
    fn get_storage(&mut self, address: &Address, key: &Bytes32) -> Bytes32 {
        self.accounts
            .get(address)
            .and_then(|a| a.storage.get(key))
            .copied()
            .unwrap_or_default()
    }
    fn set_storage(&mut self, address: &Address, key: &Bytes32, value: &Bytes32) {
        let storage = &mut self.account(address).storage;
        if *value == [0; 32] {
            storage.remove(key);
        } else {
            storage.insert(*key, *value);
        }
    }
    fn get_balance(&mut self, address: &Address) -> Bytes32 {
        self.accounts
            .get(address)
            .map(|a| a.balance)
            .unwrap_or_default()
    }
    fn get_code_size(&mut self, address: &Address) -> usize {
        self.accounts.get(address).map_or(0, |a| a.code.len())
    }
    fn copy_code(&mut self, address: &Address, offset: usize, buf: &mut [u8]) -> usize {
        let code = self
            .accounts
            .get(address)
            .map_or(&[][..], |a| a.code.as_slice());
        let from = code.get(offset..).unwrap_or_default();
        let n = from.len().min(buf.len());
        buf[..n].copy_from_slice(&from[..n]);
        n
    }
    fn selfdestruct(&mut self, address: &Address, beneficiary: &Address) {
        let balance = self.accounts.remove(address).unwrap_or_default().balance;
        let to = self.account(beneficiary);
        to.balance = add(&to.balance, &balance);
    }
    /// Moves value to an account without code. The plug-in cannot run another contract (a
    /// `wedge` run has one module); calls into code and creates fail (result 1) and say so.
    fn call(&mut self, message: &Message) -> CallResult {
        let fail = |why: &str| {
            eprintln!("[{}] {why}", crate::PLUGIN_NAME);
            CallResult {
                status: Status::Failure,
                gas_left: 0,
                output: Vec::new(),
                create_address: [0; 20],
            }
        };
        let kind = message.kind.unwrap_or(CallKind::Call);
        if matches!(kind, CallKind::Create | CallKind::Create2) {
            return fail(
                "create: a wedge run executes one contract; deploy through an EVMC client (libwedge-evmc.so)",
            );
        }
        if self.get_code_size(&message.code_address) > 0 {
            return fail(
                "call into contract code: a wedge run executes one contract; use an EVMC client (libwedge-evmc.so)",
            );
        }
        if kind == CallKind::Call && message.value != [0; 32] {
            let from = self.get_balance(&message.sender);
            let Some(left) = sub(&from, &message.value) else {
                return fail("call: the value is more than the balance");
            };
            self.account(&message.sender).balance = left;
            let to = self.account(&message.recipient);
            to.balance = add(&to.balance, &message.value);
        }
        CallResult {
            status: Status::Success,
            gas_left: message.gas,
            output: Vec::new(),
            create_address: [0; 20],
        }
    }
    fn tx_context(&mut self) -> TxContext {
        self.tx.clone()
    }
    fn block_hash(&mut self, number: i64) -> Bytes32 {
        self.block_hashes.get(&number).copied().unwrap_or_default()
    }
    fn emit_log(&mut self, address: &Address, data: &[u8], topics: &[Bytes32]) {
        self.logs.push((*address, topics.to_vec(), data.to_vec()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_parse_as_hex_or_decimal() {
        assert_eq!(parse_bytes::<4>("0x1").unwrap(), [0, 0, 0, 1]);
        assert_eq!(parse_bytes::<4>("258").unwrap(), [0, 0, 1, 2]);
        assert!(parse_bytes::<1>("256").is_err());
        assert!(parse_bytes::<1>("0x100").is_err());
        assert!(parse_bytes::<4>("0xzz").is_err());
        assert_eq!(parse_hex("0x0aff").unwrap(), [10, 255]);
    }

    #[test]
    fn the_state_round_trips_through_json() {
        let root = json!({
            "accounts": { "0xc0": { "balance": "1000", "storage": { "0x1": "0x2", "0x3": "0x0" } } },
            "block": { "number": 42, "chainId": "0x1", "hashes": { "41": "0x41" } }
        });
        let mut chain = LocalChain::default();
        chain.read(&root).unwrap();
        let mut c0 = [0; 20];
        c0[19] = 0xc0;
        let account = &chain.accounts[&c0];
        assert_eq!(account.balance[30..], [3, 0xe8]);
        assert_eq!(account.storage.len(), 1);
        assert_eq!(chain.tx.number, 42);
        assert_eq!(chain.block_hash(41)[31], 0x41);
        let mut again = LocalChain::default();
        again.read(&chain.to_json()).unwrap();
        assert_eq!(again.accounts, chain.accounts);
        assert_eq!(again.tx, chain.tx);
    }

    #[test]
    fn value_moves_to_accounts_without_code_only() {
        let mut chain = LocalChain::default();
        let (a, b) = ([1; 20], [2; 20]);
        chain.account(&a).balance[31] = 10;
        let mut msg = Message {
            kind: Some(CallKind::Call),
            sender: a,
            recipient: b,
            code_address: b,
            gas: 100,
            ..Message::default()
        };
        msg.value[31] = 4;
        assert_eq!(chain.call(&msg).status, Status::Success);
        assert_eq!(
            (chain.get_balance(&a)[31], chain.get_balance(&b)[31]),
            (6, 4)
        );
        msg.value[31] = 7;
        assert_eq!(chain.call(&msg).status, Status::Failure);
        chain.account(&b).code = vec![0];
        msg.value[31] = 1;
        assert_eq!(chain.call(&msg).status, Status::Failure);
    }
}
