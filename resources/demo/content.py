"""Static content of the demo workspace: markets, brands, campaigns, people and copy.

Everything here is plain data; ``workspace.py`` combines it with a seeded random generator.
Copy is written per language so that adaptations read like real local posts. None of the copy
below contains a market's forbidden term, except the sentences in ``FORBIDDEN_SENTENCES`` and
``FORBIDDEN_CTAS``, which only ever go into drafts (so the checks have something to flag).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True, slots=True)
class MarketInfo:
    code: str
    name: str
    region: str
    language: str  # BCP 47 tag of the market's copy
    copy: str  # key into the per-language copy tables below
    timezone: str
    currency: str
    forbidden_terms: tuple[str, ...]
    legal_note: str
    boost_threshold: str
    # Whole units: JPY has no minor unit, so its amounts are written without decimals.
    decimals: int = 2


MARKETS: Final[tuple[MarketInfo, ...]] = (
    MarketInfo(
        code="us",
        name="United States",
        region="North America",
        language="en-US",
        copy="en",
        timezone="America/New_York",
        currency="USD",
        forbidden_terms=("free", "guaranteed", "cure", "risk-free", "miracle"),
        legal_note="#ad",
        boost_threshold="5000.00",
    ),
    MarketInfo(
        code="uk",
        name="United Kingdom",
        region="Europe",
        language="en-GB",
        copy="en",
        timezone="Europe/London",
        currency="GBP",
        forbidden_terms=("free", "guaranteed", "cure", "no risk"),
        legal_note="#ad",
        boost_threshold="4000.00",
    ),
    MarketInfo(
        code="de",
        name="Germany",
        region="Europe",
        language="de-DE",
        copy="de",
        timezone="Europe/Berlin",
        currency="EUR",
        forbidden_terms=("gratis", "kostenlos", "garantiert", "Heilung", "risikofrei"),
        legal_note="Anzeige",
        boost_threshold="4500.00",
    ),
    MarketInfo(
        code="fr",
        name="France",
        region="Europe",
        language="fr-FR",
        copy="fr",
        timezone="Europe/Paris",
        currency="EUR",
        forbidden_terms=("gratuit", "garanti", "miracle", "sans risque"),
        legal_note="Publicité",
        boost_threshold="4500.00",
    ),
    MarketInfo(
        code="jp",
        name="Japan",
        region="APAC",
        language="ja-JP",
        copy="ja",
        timezone="Asia/Tokyo",
        currency="JPY",
        forbidden_terms=("無料", "絶対", "必ず", "完治"),
        # The one market without a legal note, so the "may be empty" path is exercised.
        legal_note="",
        boost_threshold="750000",
        decimals=0,
    ),
    MarketInfo(
        code="br",
        name="Brazil",
        region="LATAM",
        language="pt-BR",
        copy="pt",
        timezone="America/Sao_Paulo",
        currency="BRL",
        forbidden_terms=("grátis", "garantido", "cura", "milagroso"),
        legal_note="#publi",
        boost_threshold="25000.00",
    ),
)
MARKET_BY_CODE: Final = {m.code: m for m in MARKETS}
MARKET_CODES: Final = tuple(m.code for m in MARKETS)
GLOBAL_LANGUAGE: Final = "en"


@dataclass(frozen=True, slots=True)
class BrandInfo:
    code: str
    name: str
    hashtag: str
    tags: tuple[str, ...]
    bodies: dict[str, tuple[str, ...]]


BRANDS: Final[tuple[BrandInfo, ...]] = (
    BrandInfo(
        code="acme",
        name="Acme Outdoor",
        hashtag="#AcmeOutdoor",
        tags=(
            "hiking",
            "trail",
            "mountains",
            "outdoor",
            "camping",
            "backpack",
            "waterproof",
            "trail-running",
            "forest",
            "sunrise",
            "athlete",
            "gear",
        ),
        bodies={
            "en": (
                "Tested on 1,200 km of trail by our athletes before it reached you.",
                "Repairable, resoleable and backed by our lifetime repair service.",
            ),
            "de": (
                "Von unseren Athletinnen und Athleten auf 1.200 km Trail getestet.",
                "Reparierbar, neu besohlbar und mit unserem Reparaturservice auf Lebenszeit.",
            ),
            "fr": (
                "Testée sur 1 200 km de sentiers par nos athlètes avant d'arriver chez vous.",
                "Réparable, ressemelable et couverte par notre service de réparation à vie.",
            ),
            "ja": (
                "アスリートが1,200kmのトレイルでテスト済み。",
                "修理・ソール交換に対応、生涯リペアサービス付き。",
            ),
            "pt": (
                "Testado por nossos atletas em 1.200 km de trilha antes de chegar até você.",
                "Reparável, com troca de solado e nosso serviço de reparo vitalício.",
            ),
        },
    ),
    BrandInfo(
        code="nova",
        name="Nova Sparkling",
        hashtag="#NovaSparkling",
        tags=(
            "sparkling-water",
            "zero-sugar",
            "citrus",
            "festival",
            "music",
            "summer",
            "refill",
            "sustainability",
            "can",
            "bottle",
            "friends",
            "drinks",
        ),
        bodies={
            "en": (
                "Made with real fruit and sparkling mineral water.",
                "Every can is infinitely recyclable.",
            ),
            "de": (
                "Mit echten Früchten und sprudelndem Mineralwasser.",
                "Jede Dose ist unendlich recycelbar.",
            ),
            "fr": (
                "Avec de vrais fruits et de l'eau minérale pétillante.",
                "Chaque canette est recyclable à l'infini.",
            ),
            "ja": (
                "本物の果実とスパークリングミネラルウォーターで。",
                "缶は何度でもリサイクル可能。",
            ),
            "pt": (
                "Feito com fruta de verdade e água mineral com gás.",
                "Toda lata é infinitamente reciclável.",
            ),
        },
    ),
)
BRAND_BY_CODE: Final = {b.code: b for b in BRANDS}


@dataclass(frozen=True, slots=True)
class CampaignInfo:
    slug: str  # the campaign part of asset names: lower case, no underscores
    name: str
    brand: str
    objective: str
    primary_kpi: str
    starts: int  # days from today
    ends: int
    launch: bool  # has launch entries (a product or partnership going live)
    hashtag: str
    colors: tuple[tuple[int, int, int], tuple[int, int, int]]
    top_messages: tuple[str, ...]
    messages: dict[str, str]  # the campaign's line per copy language
    scenes: dict[str, str]  # alt text of its key visual per copy language
    tags: tuple[str, ...]
    weight: int  # how much of the plan it takes


CAMPAIGNS: Final[tuple[CampaignInfo, ...]] = (
    CampaignInfo(
        slug="summit-trail",
        name="Summit Trail",
        brand="acme",
        objective="awareness",
        primary_kpi="reach",
        starts=-50,
        ends=20,
        launch=False,
        hashtag="#SummitTrail",
        colors=((24, 74, 52), (232, 119, 34)),
        top_messages=(
            "Grip that holds on wet rock",
            "Light enough to forget you are wearing it",
            "Built for long days above the tree line",
        ),
        messages={
            "en": "The Summit boot: grip that holds on wet rock, weight you forget by the "
            "first switchback.",
            "de": "Der Summit-Schuh: Grip, der auf nassem Fels hält, und so leicht, dass du ihn "
            "nach der ersten Kehre vergisst.",
            "fr": "La chaussure Summit : une accroche qui tient sur la roche mouillée, si légère "
            "qu'on l'oublie dès le premier lacet.",
            "ja": "Summitブーツ：濡れた岩でもしっかりグリップ。"
            "最初のつづら折りで重さを忘れる軽さ。",
            "pt": "A bota Summit: aderência que segura na rocha molhada e leveza que você "
            "esquece na primeira curva.",
        },
        scenes={
            "en": "Hiker in Summit boots crossing a wet granite ridge at sunrise",
            "de": "Wanderin in Summit-Schuhen auf einem nassen Granitgrat bei Sonnenaufgang",
            "fr": "Randonneuse en chaussures Summit sur une crête de granit mouillée au lever "
            "du soleil",
            "ja": "日の出の濡れた花崗岩の尾根を歩くSummitブーツのハイカー",
            "pt": "Trilheira com botas Summit atravessando uma crista de granito molhada ao "
            "nascer do sol",
        },
        tags=("boots", "hiking", "mountains", "sunrise"),
        weight=16,
    ),
    CampaignInfo(
        slug="rain-ready",
        name="Rain Ready",
        brand="acme",
        objective="consideration",
        primary_kpi="engagement_rate",
        starts=-20,
        ends=45,
        launch=False,
        hashtag="#RainReady",
        colors=((30, 58, 95), (120, 190, 170)),
        top_messages=(
            "Fully taped seams",
            "Breathes on the climb",
            "Packs into its own pocket",
        ),
        messages={
            "en": "Storm Shell 3L: fully taped seams and pit zips, so a forecast never cancels "
            "a weekend.",
            "de": "Storm Shell 3L: vollständig verschweißte Nähte und Belüftungsreißverschlüsse "
            "– das Wetter sagt kein Wochenende mehr ab.",
            "fr": "Storm Shell 3L : coutures entièrement étanchées et aérations sous les bras, "
            "la météo n'annule plus aucun week-end.",
            "ja": "Storm Shell 3L：全面シームテープとベンチレーション。"
            "天気予報で週末をあきらめない。",
            "pt": "Storm Shell 3L: costuras totalmente seladas e zíperes de ventilação, para a "
            "previsão do tempo nunca cancelar seu fim de semana.",
        },
        scenes={
            "en": "Two friends in Storm Shell jackets laughing under heavy rain on a forest trail",
            "de": "Zwei Freunde in Storm-Shell-Jacken lachen bei starkem Regen auf einem Waldweg",
            "fr": "Deux amis en veste Storm Shell qui rient sous une pluie battante sur un "
            "sentier forestier",
            "ja": "森の小道で大雨の中、Storm Shellジャケットを着て笑う二人の友人",
            "pt": "Dois amigos de jaqueta Storm Shell rindo sob chuva forte numa trilha na "
            "floresta",
        },
        tags=("rain-jacket", "waterproof", "forest", "friends"),
        weight=16,
    ),
    CampaignInfo(
        slug="basecamp-essentials",
        name="Basecamp Essentials",
        brand="acme",
        objective="conversion",
        primary_kpi="purchases",
        starts=-70,
        ends=-10,
        launch=False,
        hashtag="#BasecampEssentials",
        colors=((92, 64, 51), (244, 196, 48)),
        top_messages=(
            "Sets up in ten minutes",
            "Everything for the first night out",
        ),
        messages={
            "en": "Tent, stove, lantern: the Basecamp kit sets up in ten minutes and packs down "
            "before the coffee is cold.",
            "de": "Zelt, Kocher, Laterne: Das Basecamp-Set steht in zehn Minuten und ist "
            "verpackt, bevor der Kaffee kalt ist.",
            "fr": "Tente, réchaud, lanterne : le kit Basecamp se monte en dix minutes et se "
            "range avant que le café refroidisse.",
            "ja": "テント、ストーブ、ランタン。"
            "Basecampキットは10分で設営、コーヒーが冷める前に撤収完了。",
            "pt": "Barraca, fogareiro, lanterna: o kit Basecamp monta em dez minutos e desmonta "
            "antes do café esfriar.",
        },
        scenes={
            "en": "Tent and lantern glowing at a lakeside campsite at dusk",
            "de": "Zelt und Laterne leuchten am Abend an einem Zeltplatz am See",
            "fr": "Tente et lanterne allumées au crépuscule au bord d'un lac",
            "ja": "夕暮れの湖畔キャンプ場で光るテントとランタン",
            "pt": "Barraca e lanterna acesas num acampamento à beira do lago ao anoitecer",
        },
        tags=("tent", "camping", "lantern", "lake"),
        weight=10,
    ),
    CampaignInfo(
        slug="night-hike",
        name="Night Hike",
        brand="acme",
        objective="awareness",
        primary_kpi="video_views",
        starts=10,
        ends=60,
        launch=True,
        hashtag="#NightHike",
        colors=((16, 24, 48), (250, 204, 21)),
        top_messages=(
            "900 lumens, 40 hours, one button",
            "The trail is yours after dark",
        ),
        messages={
            "en": "Lumen 900 headlamp: 900 lumens, 40 hours, one button. The trail is yours "
            "after dark.",
            "de": "Stirnlampe Lumen 900: 900 Lumen, 40 Stunden, ein Knopf. Der Trail gehört dir "
            "auch nach Sonnenuntergang.",
            "fr": "Lampe frontale Lumen 900 : 900 lumens, 40 heures, un seul bouton. Le sentier "
            "vous appartient aussi la nuit.",
            "ja": "ヘッドランプLumen 900：900ルーメン、40時間、ワンボタン。"
            "日が暮れてもトレイルはあなたのもの。",
            "pt": "Lanterna de cabeça Lumen 900: 900 lúmens, 40 horas, um botão. A trilha é sua "
            "depois que escurece.",
        },
        scenes={
            "en": "Headlamp beam cutting through fog on a mountain path at night",
            "de": "Lichtkegel einer Stirnlampe im Nebel auf einem nächtlichen Bergpfad",
            "fr": "Faisceau d'une lampe frontale dans le brouillard sur un chemin de montagne "
            "la nuit",
            "ja": "夜の山道で霧を照らすヘッドランプの光",
            "pt": "Facho da lanterna de cabeça atravessando a neblina numa trilha de montanha "
            "à noite",
        },
        tags=("headlamp", "night", "fog", "launch"),
        weight=10,
    ),
    CampaignInfo(
        slug="zero-sugar",
        name="Zero Sugar Launch",
        brand="nova",
        objective="awareness",
        primary_kpi="reach",
        starts=-14,
        ends=35,
        launch=True,
        hashtag="#NovaZero",
        colors=((0, 118, 122), (255, 94, 138)),
        top_messages=(
            "All the fizz, zero sugar",
            "Real fruit flavour",
            "Meet the new can",
        ),
        messages={
            "en": "Nova Zero: all the fizz, real fruit flavour, zero sugar. Meet the new can.",
            "de": "Nova Zero: volles Prickeln, echter Fruchtgeschmack, null Zucker. Das ist die "
            "neue Dose.",
            "fr": "Nova Zero : toutes les bulles, un vrai goût de fruit, zéro sucre. Voici la "
            "nouvelle canette.",
            "ja": "Nova Zero：しっかり炭酸、本物のフルーツの味わい、砂糖ゼロ。新しい缶、登場。",
            "pt": "Nova Zero: todo o gás, sabor de fruta de verdade, zero açúcar. Conheça a "
            "nova lata.",
        },
        scenes={
            "en": "Ice-cold Nova Zero can with condensation on a bright teal background",
            "de": "Eiskalte Nova-Zero-Dose mit Kondenswasser vor leuchtend türkisem Hintergrund",
            "fr": "Canette Nova Zero glacée couverte de gouttelettes sur fond turquoise vif",
            "ja": "鮮やかなティール背景に水滴のついた冷たいNova Zero缶",
            "pt": "Lata de Nova Zero gelada com gotas sobre fundo azul-petróleo vibrante",
        },
        tags=("zero-sugar", "can", "packshot", "launch"),
        weight=16,
    ),
    CampaignInfo(
        slug="citrus-wave",
        name="Citrus Wave",
        brand="nova",
        objective="engagement",
        primary_kpi="engagement_rate",
        starts=-45,
        ends=5,
        launch=False,
        hashtag="#CitrusWave",
        colors=((255, 166, 0), (132, 204, 22)),
        top_messages=(
            "Three new citrus flavours",
            "Made for long afternoons",
        ),
        messages={
            "en": "Yuzu, lime and blood orange: three new Citrus Wave flavours for the longest "
            "afternoons.",
            "de": "Yuzu, Limette und Blutorange: drei neue Citrus-Wave-Sorten für die längsten "
            "Nachmittage.",
            "fr": "Yuzu, citron vert et orange sanguine : trois nouvelles saveurs Citrus Wave "
            "pour les après-midi qui s'étirent.",
            "ja": "ゆず、ライム、ブラッドオレンジ。"
            "長い午後にぴったりのCitrus Wave新フレーバー3種。",
            "pt": "Yuzu, limão e laranja-sanguínea: três novos sabores Citrus Wave para as "
            "tardes mais longas.",
        },
        scenes={
            "en": "Three Citrus Wave bottles with sliced yuzu, lime and blood orange",
            "de": "Drei Citrus-Wave-Flaschen mit Yuzu-, Limetten- und Blutorangenscheiben",
            "fr": "Trois bouteilles Citrus Wave avec des tranches de yuzu, citron vert et "
            "orange sanguine",
            "ja": "スライスしたゆず、ライム、ブラッドオレンジと並ぶCitrus Waveのボトル3本",
            "pt": "Três garrafas de Citrus Wave com fatias de yuzu, limão e laranja-sanguínea",
        },
        tags=("citrus", "bottle", "summer", "flavours"),
        weight=12,
    ),
    CampaignInfo(
        slug="bubbles-beats",
        name="Bubbles & Beats",
        brand="nova",
        objective="awareness",
        primary_kpi="video_views",
        starts=5,
        ends=50,
        launch=True,
        hashtag="#BubblesAndBeats",
        colors=((91, 33, 182), (236, 72, 153)),
        top_messages=(
            "Official drink of the festival tour",
            "Refill bar at every stage",
        ),
        messages={
            "en": "Nova is the official drink of the Bubbles & Beats festival tour. Find the "
            "refill bar at every stage.",
            "de": "Nova ist offizielles Getränk der Bubbles & Beats Festivaltour. Die "
            "Refill-Bar findest du an jeder Bühne.",
            "fr": "Nova est la boisson officielle de la tournée Bubbles & Beats. Retrouvez le "
            "bar de recharge à chaque scène.",
            "ja": "NovaはBubbles & Beatsフェスツアーのオフィシャルドリンク。"
            "各ステージにリフィルバーがあります。",
            "pt": "Nova é a bebida oficial da turnê Bubbles & Beats. Encontre o bar de refil em "
            "todos os palcos.",
        },
        scenes={
            "en": "Festival crowd raising Nova cans in front of a stage at golden hour",
            "de": "Festivalpublikum hebt Nova-Dosen vor einer Bühne im Abendlicht",
            "fr": "Public de festival levant des canettes Nova devant une scène à l'heure dorée",
            "ja": "夕暮れのステージ前でNova缶を掲げるフェスの観客",
            "pt": "Público de festival erguendo latas de Nova diante do palco no fim de tarde",
        },
        tags=("festival", "music", "crowd", "partnership"),
        weight=10,
    ),
    CampaignInfo(
        slug="refill-pledge",
        name="Refill Pledge",
        brand="nova",
        objective="consideration",
        primary_kpi="sign_ups",
        starts=-35,
        ends=42,
        launch=False,
        hashtag="#RefillPledge",
        colors=((21, 128, 61), (186, 230, 253)),
        top_messages=(
            "Every refill saves a can",
            "A tree for every 1,000 refills",
        ),
        messages={
            "en": "Bring your bottle: every Nova refill station saves a can, and we plant a tree "
            "for every 1,000 refills.",
            "de": "Bring deine Flasche mit: Jede Nova-Refill-Station spart eine Dose, und für "
            "1.000 Refills pflanzen wir einen Baum.",
            "fr": "Apportez votre gourde : chaque station de recharge Nova évite une canette, et "
            "nous plantons un arbre tous les 1 000 remplissages.",
            "ja": "マイボトルを持ってこよう。"
            "Novaのリフィルで缶を1本節約、1,000回ごとに木を1本植えます。",
            "pt": "Traga sua garrafa: cada refil Nova economiza uma lata, e plantamos uma árvore "
            "a cada 1.000 refis.",
        },
        scenes={
            "en": "Person refilling a reusable bottle at a Nova refill station in a park",
            "de": "Person füllt eine Mehrwegflasche an einer Nova-Refill-Station im Park auf",
            "fr": "Personne remplissant une gourde à une station de recharge Nova dans un parc",
            "ja": "公園のNovaリフィルステーションでマイボトルに補充する人",
            "pt": "Pessoa enchendo uma garrafa reutilizável numa estação de refil Nova no parque",
        },
        tags=("refill", "sustainability", "bottle", "park"),
        weight=10,
    ),
)


@dataclass(frozen=True, slots=True)
class PersonInfo:
    username: str
    display_name: str
    role: str
    markets: tuple[str, ...]
    password: str


PEOPLE: Final[tuple[PersonInfo, ...]] = (
    PersonInfo("maya.chen", "Maya Chen", "conductor", (), "desk-demo-maya"),
    PersonInfo("lena.fischer", "Lena Fischer", "section_lead", ("de", "fr"), "desk-demo-lena"),
    PersonInfo("james.porter", "James Porter", "section_lead", ("us", "uk"), "desk-demo-james"),
    PersonInfo("yuki.tanaka", "Yuki Tanaka", "section_lead", ("jp",), "desk-demo-yuki"),
    PersonInfo("rafael.souza", "Rafael Souza", "section_lead", ("br",), "desk-demo-rafael"),
    PersonInfo("omar.haddad", "Omar Haddad", "paid_operator", (), "desk-demo-omar"),
    PersonInfo("ines.moreau", "Inès Moreau", "compliance", (), "desk-demo-ines"),
)
DEMO_LEAD: Final = "lena.fischer"

# Per-language copy. Keys: en (global, us, uk), de, fr, ja, pt.
HOOKS: Final[dict[str, tuple[str, ...]]] = {
    "en": (
        "New drop.",
        "Weekend plans?",
        "This one's for the early risers.",
        "You asked, we listened.",
        "Save this for later.",
        "Tag someone who needs this.",
    ),
    "de": (
        "Neu da.",
        "Pläne fürs Wochenende?",
        "Für alle Frühaufsteher.",
        "Ihr habt gefragt, hier ist die Antwort.",
        "Speicher dir das.",
        "Markiere jemanden, der das braucht.",
    ),
    "fr": (
        "Nouveauté.",
        "Des plans pour le week-end ?",
        "Pour les lève-tôt.",
        "Vous l'avez demandé, le voici.",
        "À enregistrer pour plus tard.",
        "Identifiez quelqu'un qui en a besoin.",
    ),
    "ja": (
        "新登場。",
        "週末の予定は？",
        "早起きさんへ。",
        "リクエストにお応えして。",
        "あとで見返せるように保存してね。",
        "これが必要な友だちをタグ付けしよう。",
    ),
    "pt": (
        "Novidade.",
        "Planos para o fim de semana?",
        "Para quem acorda cedo.",
        "Vocês pediram, chegou.",
        "Salve para depois.",
        "Marque alguém que precisa disso.",
    ),
}
CAPTION_CTAS: Final[dict[str, tuple[str, ...]]] = {
    "en": (
        "Link in bio.",
        "Shop the collection now.",
        "Find your nearest stockist.",
        "Watch the full film.",
    ),
    "de": (
        "Link in der Bio.",
        "Jetzt die Kollektion entdecken.",
        "Händler in deiner Nähe finden.",
        "Ganzen Film ansehen.",
    ),
    "fr": (
        "Lien en bio.",
        "Découvrez la collection.",
        "Trouvez le revendeur le plus proche.",
        "Regardez le film en entier.",
    ),
    "ja": (
        "詳しくはプロフィールのリンクから。",
        "コレクションをチェック。",
        "お近くの取扱店を探す。",
        "フルムービーを見る。",
    ),
    "pt": (
        "Link na bio.",
        "Confira a coleção.",
        "Encontre a loja mais próxima.",
        "Assista ao filme completo.",
    ),
}
REQUEST_CTAS: Final[dict[str, tuple[str, ...]]] = {
    "en": ("Shop now", "Learn more", "Watch now", "Sign up"),
    "de": ("Jetzt kaufen", "Mehr erfahren", "Jetzt ansehen", "Jetzt anmelden"),
    "fr": ("Acheter", "En savoir plus", "Regarder", "S'inscrire"),
    "ja": ("今すぐ購入", "詳しく見る", "今すぐ見る", "登録する"),
    "pt": ("Compre agora", "Saiba mais", "Assista agora", "Cadastre-se"),
}
# Only ever in drafts: each holds a forbidden term of every market using that language.
FORBIDDEN_SENTENCES: Final[dict[str, str]] = {
    "en": "Shipping is free this weekend only!",
    "de": "Versand kostenlos, nur dieses Wochenende!",
    "fr": "Livraison offerte, c'est gratuit ce week-end !",
    "ja": "今週末だけ送料無料！",
    "pt": "Frete grátis só neste fim de semana!",
}
FORBIDDEN_CTAS: Final[dict[str, str]] = {
    "en": "Try it free",
    "de": "Jetzt gratis testen",
    "fr": "Essai gratuit",
    "ja": "無料で試す",
    "pt": "Experimente grátis",
}
# Alt-text suffix per crop, per language.
CROP_WORDS: Final[dict[str, dict[str, str]]] = {
    "en": {
        "square": "square crop",
        "portrait": "portrait crop",
        "story": "vertical story crop",
        "landscape": "wide crop",
    },
    "de": {
        "square": "quadratischer Ausschnitt",
        "portrait": "Hochformat",
        "story": "vertikaler Story-Ausschnitt",
        "landscape": "Querformat",
    },
    "fr": {
        "square": "format carré",
        "portrait": "format portrait",
        "story": "format story vertical",
        "landscape": "format paysage",
    },
    "ja": {
        "square": "正方形",
        "portrait": "縦長",
        "story": "ストーリー用縦型",
        "landscape": "横長",
    },
    "pt": {
        "square": "recorte quadrado",
        "portrait": "recorte retrato",
        "story": "recorte vertical para stories",
        "landscape": "recorte horizontal",
    },
}

CHANNEL_LIMITS: Final[dict[str, int]] = {
    "x": 280,
    "instagram": 2200,
    "tiktok": 2200,
    "linkedin": 3000,
    "facebook": 63206,
    "youtube": 5000,
}
ORGANIC_CHANNELS: Final = (
    ("instagram", 34),
    ("tiktok", 20),
    ("x", 15),
    ("facebook", 12),
    ("linkedin", 8),
    ("youtube", 11),
)
PAID_CHANNELS: Final = (("instagram", 40), ("facebook", 25), ("tiktok", 20), ("youtube", 15))
LAUNCH_CHANNELS: Final = (("instagram", 40), ("x", 20), ("youtube", 25), ("tiktok", 15))

ORGANIC_ANGLES: Final = (
    "Teaser",
    "Product close-up",
    "Behind the scenes",
    "Community repost",
    "How-to reel",
    "Athlete story",
    "Countdown",
    "Creator collab",
    "Tips carousel",
    "Poll",
)
PAID_ANGLES: Final = ("Reach burst", "Retargeting burst", "Always-on boost", "Weekend burst")
MOMENTS: Final = (
    "Long weekend",
    "Payday weekend",
    "Season opener",
    "Festival weekend",
    "Trail running championships",
    "World Refill Day",
    "First frost",
    "Back to routine",
)
LAUNCH_ANGLES: Final = ("Launch post", "Go-live film", "Launch countdown reveal")

IMAGE_PURPOSES: Final = ("hero", "lifestyle", "product", "detail", "teaser", "ugc")
GENERIC_TAGS: Final = (
    "hero",
    "lifestyle",
    "packshot",
    "studio",
    "on-location",
    "people",
    "no-people",
    "text-overlay",
    "logo",
    "ugc",
    "b-roll",
    "cutout",
)
HOLDERS: Final[dict[str, tuple[tuple[str, str, bool], ...]]] = {
    # brand -> (holder, licence, people in shot)
    "acme": (
        ("Acme Outdoor Inc.", "Owned (work for hire)", False),
        ("Northlight Studio", "Buyout, all media, 24 months", True),
        ("Peak Pictures Agency", "Rights-managed, social only", True),
        ("@trailwithkai", "Creator agreement, 6 months", True),
    ),
    "nova": (
        ("Nova Beverages Ltd.", "Owned (work for hire)", False),
        ("Studio Lumen GmbH", "Buyout, all media, 24 months", True),
        ("Bubbles & Beats Festivals", "Partner licence, event season", True),
        ("@sofi.sips", "Creator agreement, 6 months", True),
    ),
}
LOCAL_HOLDERS: Final[dict[str, tuple[str, str]]] = {
    "us": ("Brightline Creative LLC", "Rights-managed, US only, 12 months"),
    "uk": ("Foxglove Films Ltd", "Rights-managed, UK only, 12 months"),
    "de": ("Bildwerk Hamburg GmbH", "Nutzungsrechte DE, 12 Monate"),
    "fr": ("Maison Argent Production", "Cession de droits FR, 12 mois"),
    "jp": ("Kumo Films K.K.", "国内利用のみ、12か月"),
    "br": ("Agência Vento", "Licença Brasil, 12 meses"),
}
RIGHTS_NOTES: Final = (
    "Paid usage limited to Meta and TikTok placements.",
    "No usage on packaging or out-of-home.",
    "Credit the photographer in organic posts.",
    "Renewal requested from the agency.",
    "Talent may not be shown next to alcohol.",
)
DECLINE_NOTES: Final = (
    "Audience overlaps the central burst running in this market: duplicate spend.",
    "Creative is below the engagement benchmark for paid; try the lifestyle variant.",
    "Budget exhausted for this week; resubmit from Monday.",
    "Landing page is not localized yet.",
    "Spend window falls on the media blackout agreed with the retailer.",
)
APPROVE_NOTES: Final = (
    "Approved. Cap spend at 80% in week one and review CTR.",
    "Approved; exclude existing customers.",
    "Approved. Please tag the dashboard with the request id.",
)
AUDIENCES: Final[dict[str, tuple[str, ...]]] = {
    "acme": (
        "Outdoor enthusiasts 25-44; interests hiking, trail running; exclude purchasers "
        "of the last 30 days",
        "Lookalike 1% of newsletter subscribers",
        "Engaged with brand content in the last 60 days",
    ),
    "nova": (
        "Adults 21-39; interests healthy drinks, festivals; exclude purchasers of the last 30 days",
        "Lookalike 2% of refill app users",
        "Video viewers (50%+) of campaign content in the last 30 days",
    ),
}
COMMENTS: Final[dict[str, tuple[str, ...]]] = {
    "stale": (
        "The master changed (new hero crop and CTA). Can you refresh this adaptation?",
        "Global copy was updated this morning; please check the local caption.",
    ),
    "drift": (
        "This runs a few days off the global plan. Intentional for the local holiday?",
        "Can we realign with the central date? Paid support starts on the global date.",
    ),
    "declined": (
        "Understood. I'll move budget to the lifestyle variant and resubmit.",
        "Could we run it at half the budget instead?",
    ),
    "rights": (
        "Rights expire soon. Renewal is with the agency; please don't schedule beyond expiry.",
        "Licence ends in under two weeks: swap this asset in anything scheduled after that.",
    ),
    "general": (
        "Looks great. Approved from the brand side.",
        "Please use the new logo lock-up on the last frame.",
        "Legal checked the claim wording; good to go.",
    ),
}
