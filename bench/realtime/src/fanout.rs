//! The fan-out measurement, the same for Utmost and for the baseline: a message to every
//! connected member of a channel, one at a time, measured twice:
//!
//! * **live**: the clients read every frame as it arrives. They share the machine's two
//!   cores with the server, so this measures the pair;
//! * **held**: the clients leave the frames in the kernel's socket buffers, which timestamp
//!   them on arrival, and read them once the server has gone idle. The server then has the
//!   two cores to itself, as it would with its clients on other machines.

use crate::reader::Mode;
use crate::{now_ns, wait_for, Counters};
use anyhow::{bail, Result};
use futures_util::SinkExt;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::watch;
use tokio_tungstenite::tungstenite::Message;

/// The connected clients of one server.
pub struct Clients {
    pub tasks: Vec<tokio::task::JoinHandle<()>>,
    pub mode: watch::Sender<Mode>,
    pub counters: Arc<Counters>,
}

impl Clients {
    pub fn close(self) {
        for t in self.tasks {
            t.abort();
        }
    }
}

/// What makes the server send one message to the channel's members.
pub enum Trigger<'a> {
    /// `POST /api/v4/posts` into Utmost's channel.
    Post {
        http: &'a reqwest::Client,
        url: &'a str,
        token: &'a str,
        channel_id: &'a str,
    },
    /// A reaction on `post_id` in Utmost's channel, added by even and removed by odd firings,
    /// so every firing sends one event to every member.
    Reaction {
        http: &'a reqwest::Client,
        url: &'a str,
        token: &'a str,
        user_id: &'a str,
        post_id: &'a str,
    },
    /// A command to the baseline server on its control socket.
    Broadcast {
        control: &'a mut tokio_tungstenite::WebSocketStream<
            tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
        >,
        bytes: usize,
    },
}

impl Trigger<'_> {
    async fn fire(&mut self, i: usize) -> Result<()> {
        match self {
            Trigger::Post {
                http,
                url,
                token,
                channel_id,
            } => {
                let message = format!("fan-out {i} {}", "x".repeat(200));
                let r = http
                    .post(format!("{url}/api/v4/posts"))
                    .bearer_auth(token)
                    .json(&serde_json::json!({"channel_id": channel_id, "message": message}))
                    .send()
                    .await?;
                if r.status().as_u16() != 201 {
                    bail!("POST /posts answered {}: {}", r.status(), r.text().await?);
                }
            }
            Trigger::Reaction {
                http,
                url,
                token,
                user_id,
                post_id,
            } => {
                let r = if i.is_multiple_of(2) {
                    http.post(format!("{url}/api/v4/reactions"))
                        .json(&serde_json::json!(
                            {"user_id": user_id, "post_id": post_id, "emoji_name": "tada"}
                        ))
                } else {
                    http.delete(format!(
                        "{url}/api/v4/users/{user_id}/posts/{post_id}/reactions/tada"
                    ))
                };
                let r = r.bearer_auth(token).send().await?;
                if r.status().as_u16() != 200 {
                    bail!("reaction answered {}: {}", r.status(), r.text().await?);
                }
            }
            Trigger::Broadcast { control, bytes } => {
                control
                    .send(Message::Text(format!("broadcast 1 {bytes}").into()))
                    .await?;
            }
        }
        Ok(())
    }
}

/// One way of measuring: deliveries per second from a message's first to its last
/// delivery, and CPU time per delivery.
#[derive(Debug, Default, Clone, Copy)]
pub struct Rate {
    pub per_second: f64,
    pub server_us: f64,
    /// The receiving clients' CPU (next to nothing while they hold).
    pub clients_us: f64,
    /// The server's CPU time over the time it took to deliver: how many cores it kept busy.
    pub server_cores: f64,
}

#[derive(Debug, Clone, Copy)]
pub struct FanOut {
    pub live: Rate,
    pub held: Rate,
    /// Live, counted from the trigger (for Utmost: sending the POST) to the last delivery.
    pub end_to_end: f64,
    /// Average time the trigger took (for Utmost: the POST's latency).
    pub trigger_ms: f64,
}

/// Sends `posts` messages to `size` connected members, live and then held. Each figure is
/// the median over the messages, so a stray background task in one of them does not skew it.
pub async fn measure(
    server_pid: u32,
    clients: &Clients,
    size: usize,
    posts: usize,
    trigger: &mut Trigger<'_>,
) -> Result<FanOut> {
    let counters = &clients.counters;
    let target = size as u64;
    let pid = server_pid.to_string();
    let mut triggering = Duration::ZERO;

    let _ = clients.mode.send(Mode::Live);
    let mut live = Vec::new();
    let mut end_to_end = Vec::new();
    for i in 0..posts {
        counters.reset();
        let start = Instant::now();
        let sent = now_ns();
        trigger.fire(i).await?;
        triggering += start.elapsed();
        let before = Cpu::now(&pid);
        let seen = counters.posted.load(Ordering::Relaxed);
        wait_for(&counters.posted, target, Duration::from_secs(300)).await?;
        let done = now_ns();
        let span = (done - counters.first_at.load(Ordering::Relaxed)) as f64 / 1e9;
        live.push(Cpu::now(&pid).since(before, target - seen).rate(size, span));
        end_to_end.push(size as f64 * 1e9 / (done - sent) as f64);
    }

    let mut held = Vec::new();
    for i in 0..posts {
        let _ = clients.mode.send(Mode::Hold);
        counters.reset();
        trigger.fire(posts + i).await?;
        let before = Cpu::now(&pid);
        wait_until_idle(&pid).await;
        let after = Cpu::now(&pid);
        counters.since_ns.store(before.at_ns, Ordering::Relaxed);
        drain_all(clients, target).await?;
        let span = counters.held_span_ns() as f64 / 1e9;
        let delivered = counters.held_after.load(Ordering::Relaxed);
        held.push(after.since(before, delivered).rate(size, span));
    }

    end_to_end.sort_by(f64::total_cmp);
    Ok(FanOut {
        live: Rate::median(live),
        held: Rate::median(held),
        end_to_end: end_to_end.get(posts / 2).copied().unwrap_or(0.0),
        trigger_ms: triggering.as_secs_f64() * 1000.0 / (2 * posts) as f64,
    })
}

/// Reads what the clients hold until all `target` deliveries are in; a delivery still on
/// its way after the server looked idle is picked up by another round.
async fn drain_all(clients: &Clients, target: u64) -> Result<()> {
    for round in 0..20 {
        let _ = clients.mode.send(Mode::Drain(round));
        if wait_for(&clients.counters.posted, target, Duration::from_secs(3))
            .await
            .is_ok()
        {
            return Ok(());
        }
    }
    bail!(
        "held deliveries never arrived: {} of {target}",
        clients.counters.posted.load(Ordering::Relaxed)
    )
}

/// Waits until the server has used under a tenth of a core for two 20 ms intervals running.
async fn wait_until_idle(pid: &str) {
    let mut last = cpu_ns(pid);
    let mut quiet = 0;
    while quiet < 2 {
        tokio::time::sleep(Duration::from_millis(20)).await;
        let now = cpu_ns(pid);
        quiet = if now - last < 2_000_000 { quiet + 1 } else { 0 };
        last = now;
    }
}

/// CPU time all threads of process `pid` (or "self") have run, in nanoseconds.
fn cpu_ns(pid: &str) -> u64 {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return 0;
    };
    tasks
        .flatten()
        .filter_map(|t| std::fs::read_to_string(t.path().join("schedstat")).ok())
        .filter_map(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .sum()
}

/// A reading of the CPU used by the server and by the benchmark itself (its clients).
#[derive(Debug, Clone, Copy)]
struct Cpu {
    server_ns: u64,
    clients_ns: u64,
    /// Wall-clock time of the reading, in the kernel timestamps' clock.
    at_ns: u64,
}

impl Cpu {
    fn now(pid: &str) -> Self {
        Cpu {
            server_ns: cpu_ns(pid),
            clients_ns: cpu_ns("self"),
            at_ns: std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos() as u64),
        }
    }

    /// The CPU used since `before`, per delivery of the `deliveries` made in between.
    fn since(self, before: Cpu, deliveries: u64) -> PerDelivery {
        let n = deliveries.max(1) as f64;
        PerDelivery {
            server_ns: self.server_ns.saturating_sub(before.server_ns) as f64 / n,
            clients_ns: self.clients_ns.saturating_sub(before.clients_ns) as f64 / n,
        }
    }
}

struct PerDelivery {
    server_ns: f64,
    clients_ns: f64,
}

impl PerDelivery {
    /// One message's figures: `size` deliveries made in `seconds` from first to last.
    fn rate(&self, size: usize, seconds: f64) -> Rate {
        let per_second = size as f64 / seconds;
        Rate {
            per_second,
            server_us: self.server_ns / 1000.0,
            clients_us: self.clients_ns / 1000.0,
            server_cores: self.server_ns * per_second / 1e9,
        }
    }
}

impl Rate {
    /// Each field's median over the messages.
    fn median(rates: Vec<Rate>) -> Rate {
        let median = |f: fn(&Rate) -> f64| {
            let mut v: Vec<f64> = rates.iter().map(f).collect();
            v.sort_by(f64::total_cmp);
            v.get(v.len() / 2).copied().unwrap_or(0.0)
        };
        Rate {
            per_second: median(|r| r.per_second),
            server_us: median(|r| r.server_us),
            clients_us: median(|r| r.clients_us),
            server_cores: median(|r| r.server_cores),
        }
    }
}
