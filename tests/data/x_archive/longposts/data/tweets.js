window.YTD.tweets.part0 = [
  {
    "tweet": {
      "retweeted": false,
      "source": "<a href=\"http://twitter.com/download/android\" rel=\"nofollow\">Twitter for Android</a>",
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": [
          {
            "url": "https://t.co/Ab12Cd34Ef",
            "expanded_url": "https://twitter.com/i/web/status/1700000000000000001",
            "display_url": "twitter.com/i/web/status/1…",
            "indices": [
              "270",
              "293"
            ]
          }
        ]
      },
      "display_text_range": [
        "0",
        "293"
      ],
      "favorite_count": "3",
      "id_str": "1700000000000000001",
      "truncated": false,
      "retweet_count": "1",
      "id": "1700000000000000001",
      "created_at": "Mon Mar 02 03:15:07 +0000 2026",
      "favorited": false,
      "full_text": "Night 41 at the north gate. The shelling stopped at 3am &amp; we counted the children in the basement: nineteen, all of them breathing. Rana's asthma is worse, we have one inhaler left and no way to reach the clinic because the bridge road is blocked by rubble. If any… https://t.co/Ab12Cd34Ef",
      "lang": "en"
    }
  },
  {
    "tweet": {
      "retweeted": false,
      "source": "<a href=\"http://twitter.com/download/android\" rel=\"nofollow\">Twitter for Android</a>",
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      },
      "display_text_range": [
        "0",
        "36"
      ],
      "favorite_count": "3",
      "id_str": "1700000000000000002",
      "truncated": false,
      "retweet_count": "1",
      "id": "1700000000000000002",
      "created_at": "Mon Mar 02 03:20:00 +0000 2026",
      "favorited": false,
      "full_text": "Still here. Network is back for now.",
      "lang": "en"
    }
  },
  {
    "tweet": {
      "retweeted": false,
      "source": "<a href=\"http://twitter.com/download/android\" rel=\"nofollow\">Twitter for Android</a>",
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      },
      "display_text_range": [
        "0",
        "271"
      ],
      "favorite_count": "3",
      "id_str": "1700000000000000003",
      "truncated": false,
      "retweet_count": "1",
      "id": "1700000000000000003",
      "created_at": "Mon Mar 02 09:00:01 +0000 2026",
      "favorited": false,
      "full_text": "الليلة الحادية والأربعون عند البوابة الشمالية. توقف القصف في الثالثة فجراً وعددنا الأطفال في القبو، تسعة عشر طفلاً كلهم يتنفسون. نفد الماء تقريباً ولا نستطيع الوصول إلى المستوصف لأن طريق الجسر مغلق بالركام. إذا كان أحد يقرأ هذا فنحن في قبو المدرسة القديمة في شارع الطاحو…",
      "lang": "ar"
    }
  }
]
